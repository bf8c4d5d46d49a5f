// The least of Arduino.h that the library needs, for compiling it with the bare xtensa-lx106 compiler (no C
// library headers in Debian's package). The interfaces (Client.h, Udp.h, ...) come from ../shim.
#ifndef STUB_ARDUINO_H
#define STUB_ARDUINO_H

#include <stdint.h>
#include <stddef.h>

extern "C" {
void* memcpy(void* dest, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
}

unsigned long millis();

#endif
