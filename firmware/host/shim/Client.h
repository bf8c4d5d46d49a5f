#ifndef SHIM_CLIENT_H
#define SHIM_CLIENT_H

#include "Stream.h"
#include "IPAddress.h"

// The core's Client interface: what EspwireClient is written against.
class Client : public Stream {
public:
  virtual int connect(IPAddress ip, uint16_t port) = 0;
  virtual int connect(const char* host, uint16_t port) = 0;
  using Print::write;
  virtual size_t write(uint8_t c) override = 0;
  virtual size_t write(const uint8_t* data, size_t length) override = 0;
  virtual int available() override = 0;
  virtual int read() override = 0;
  virtual int read(uint8_t* data, size_t length) = 0;
  virtual int peek() override = 0;
  virtual void flush() override = 0;
  virtual void stop() = 0;
  virtual uint8_t connected() = 0;
  virtual operator bool() = 0;
};

#endif
