#ifndef SHIM_WIFICLIENT_H
#define SHIM_WIFICLIENT_H

#include "Client.h"

// A TCP client over a POSIX socket. Non-copyable: the shim has no shared connection state.
class WiFiClient : public Client {
public:
  WiFiClient() : _fd(-1), _noDelay(false), _peerClosed(false) {}
  ~WiFiClient() override { stop(); }
  WiFiClient(const WiFiClient&) = delete;
  WiFiClient& operator=(const WiFiClient&) = delete;

  int connect(IPAddress ip, uint16_t port) override;
  int connect(const char* host, uint16_t port) override;
  using Print::write;
  size_t write(uint8_t c) override { return write(&c, 1); }
  size_t write(const uint8_t* data, size_t length) override;
  int available() override;
  int read() override;
  int read(uint8_t* data, size_t length) override;
  int peek() override;
  void flush() override {}
  void stop() override;
  uint8_t connected() override;
  operator bool() override { return connected() != 0; }
  void setNoDelay(bool on);
  bool getNoDelay() const { return _noDelay; }

private:
  int _fd;
  bool _noDelay;
  bool _peerClosed;
};

#endif
