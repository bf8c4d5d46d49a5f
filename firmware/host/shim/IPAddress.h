#ifndef SHIM_IPADDRESS_H
#define SHIM_IPADDRESS_H

#include <stdint.h>
#include "Print.h"

class IPAddress : public Printable {
public:
  IPAddress() : _octets{0, 0, 0, 0} {}
  IPAddress(uint8_t a, uint8_t b, uint8_t c, uint8_t d) : _octets{a, b, c, d} {}
  uint8_t operator[](int i) const { return _octets[i]; }
  bool fromString(const char* text);
  size_t printTo(Print& p) const override;

private:
  uint8_t _octets[4];
};

#endif
