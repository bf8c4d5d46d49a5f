#ifndef SHIM_UDP_H
#define SHIM_UDP_H

#include "Stream.h"
#include "IPAddress.h"

// The core's UDP interface.
class UDP : public Stream {
public:
  virtual uint8_t begin(uint16_t port) = 0;
  virtual void stop() = 0;
  virtual int beginPacket(IPAddress ip, uint16_t port) = 0;
  virtual int beginPacket(const char* host, uint16_t port) = 0;
  virtual int endPacket() = 0;
  using Print::write;
  virtual size_t write(uint8_t c) override = 0;
  virtual size_t write(const uint8_t* data, size_t length) override = 0;
  virtual int parsePacket() = 0;
  virtual int available() override = 0;
  virtual int read() override = 0;
  virtual int read(unsigned char* data, size_t length) = 0;
  virtual int read(char* data, size_t length) = 0;
  virtual int peek() override = 0;
  virtual void flush() override = 0;
};

#endif
