#ifndef SHIM_WIFIUDP_H
#define SHIM_WIFIUDP_H

#include "Udp.h"

class WiFiUDP : public UDP {
public:
  WiFiUDP() : _fd(-1), _outLen(0), _inLen(0), _inPos(0), _hasDest(false) {}
  ~WiFiUDP() override { stop(); }
  uint8_t begin(uint16_t port) override;
  void stop() override;
  int beginPacket(IPAddress ip, uint16_t port) override;
  int beginPacket(const char* host, uint16_t port) override;
  int endPacket() override;
  using Print::write;
  size_t write(uint8_t c) override { return write(&c, 1); }
  size_t write(const uint8_t* data, size_t length) override;
  int parsePacket() override;
  int available() override { return (int)(_inLen - _inPos); }
  int read() override;
  int read(unsigned char* data, size_t length) override;
  int read(char* data, size_t length) override { return read((unsigned char*)data, length); }
  int peek() override { return _inPos < _inLen ? _in[_inPos] : -1; }
  void flush() override {}

private:
  int _fd;
  uint8_t _out[1472];
  size_t _outLen;
  uint8_t _in[1472];
  size_t _inLen;
  size_t _inPos;
  bool _hasDest;
  unsigned char _dest[28];  // sockaddr_storage-sized enough for sockaddr_in/in6
};

#endif
