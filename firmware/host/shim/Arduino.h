// Host shim of the Arduino core API that Espwire and its examples use (written from the documented API).
#ifndef SHIM_ARDUINO_H
#define SHIM_ARDUINO_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <math.h>
#include "Print.h"

unsigned long millis();
unsigned long micros();
void delay(unsigned long ms);
void yield();
char* dtostrf(double value, signed char width, unsigned char precision, char* out);

class HardwareSerial : public Print {
public:
  void begin(unsigned long baud);
  size_t write(uint8_t c) override;
  size_t write(const uint8_t* data, size_t length) override;
  int available();
  int read();
};

extern HardwareSerial Serial;

#endif
