// The host shim's implementation: time, Serial, a virtual Wi-Fi station and loopback sockets.
//
// Environment (all optional):
//   ESPWIRE_SHIM_SERVER      HOST:PORT that the seed's laptop 192.168.0.40 stands for (default 127.0.0.1 and the
//                            port the sketch asked for). Only loopback targets are ever connected to.
//   ESPWIRE_SHIM_WIFI_FILE   a control file: while it holds "down" the station is disconnected (sockets close,
//                            connects fail); "up" or no file brings it back after a short rejoin.
//   ESPWIRE_SHIM_TIME_SCALE  multiplies every delay and divides millis(): 0.01 runs a hundred times faster.
#include "Arduino.h"
#include "ESP8266WiFi.h"
#include "ArduinoOTA.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

HardwareSerial Serial;
ShimWiFi WiFi;
ArduinoOTAClass ArduinoOTA;

namespace {

const unsigned long kJoinMs = 4200;    // the seed's log: eight polls at status 7, the ninth at 3
const unsigned long kRejoinMs = 1000;  // after a drop, the core's auto-reconnect
const unsigned long kScanMs = 2100;

double timeScale() {
  static double scale = -1;
  if (scale < 0) {
    const char* s = getenv("ESPWIRE_SHIM_TIME_SCALE");
    scale = s ? atof(s) : 1.0;
    if (!(scale > 0)) scale = 1.0;
  }
  return scale;
}

double realMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

double startMs = realMs();

// Wi-Fi state: joined after begin() plus the join time, unless the control file says the network is down.
bool beginCalled = false;
bool ssidKnown = false;
bool passwordRight = false;
unsigned long joinAt = 0;
bool lastUp = true;

bool controlSaysDown() {
  static unsigned long checkedAt = 0;
  static bool down = false;
  static bool first = true;
  const char* path = getenv("ESPWIRE_SHIM_WIFI_FILE");
  if (!path) return false;
  unsigned long now = millis();
  if (!first && now == checkedAt) return down;
  first = false;
  checkedAt = now;
  FILE* f = fopen(path, "r");
  if (!f) {
    down = false;
    return down;
  }
  char word[8] = {0};
  size_t n = fread(word, 1, sizeof(word) - 1, f);
  fclose(f);
  down = n >= 4 && strncmp(word, "down", 4) == 0;
  return down;
}

bool wifiUp() {
  if (!beginCalled || !ssidKnown || !passwordRight) return false;
  bool down = controlSaysDown();
  unsigned long now = millis();
  if (down) {
    lastUp = false;
    return false;
  }
  if (!lastUp) {
    lastUp = true;
    joinAt = now + kRejoinMs;  // the network is back: rejoining takes a moment
  }
  return (long)(now - joinAt) >= 0;
}

// Maps the address a sketch wrote to where the shim really connects: the seed's laptop to ESPWIRE_SHIM_SERVER,
// loopback to itself, anything else refused.
bool resolve(const char* host, uint16_t port, struct sockaddr_in* out) {
  char target[64];
  uint16_t targetPort = port;
  if (strcmp(host, "192.168.0.40") == 0) {
    const char* server = getenv("ESPWIRE_SHIM_SERVER");
    snprintf(target, sizeof(target), "%s", server ? server : "127.0.0.1");
    char* colon = strrchr(target, ':');
    if (colon) {
      *colon = 0;
      targetPort = (uint16_t)atoi(colon + 1);
    }
  } else if (strcmp(host, "localhost") == 0) {
    snprintf(target, sizeof(target), "127.0.0.1");
  } else {
    snprintf(target, sizeof(target), "%s", host);
  }
  memset(out, 0, sizeof(*out));
  out->sin_family = AF_INET;
  out->sin_port = htons(targetPort);
  if (inet_pton(AF_INET, target, &out->sin_addr) != 1) return false;
  if ((ntohl(out->sin_addr.s_addr) >> 24) != 127) {
    fprintf(stderr, "shim: refusing %s: the host shim connects to loopback only\n", target);
    return false;
  }
  return true;
}

}  // namespace

// Virtual time: real time divided by the scale, except that a delay(ms) advances it by exactly ms however late
// the host wakes up, so the sketch's output is the same at any scale and load (the seed's eight status polls).
double virtualBase = 0;

double virtualMs() { return virtualBase + (realMs() - startMs) / timeScale(); }

unsigned long millis() { return (unsigned long)virtualMs(); }
unsigned long micros() { return (unsigned long)(virtualMs() * 1000.0); }

void delay(unsigned long ms) {
  double target = virtualMs() + ms;
  double real = ms * timeScale();
  struct timespec ts;
  ts.tv_sec = (time_t)(real / 1000);
  ts.tv_nsec = (long)((real - ts.tv_sec * 1000.0) * 1e6);
  nanosleep(&ts, 0);
  // Take back the oversleep: now is target exactly.
  virtualBase += target - virtualMs();
}

void yield() {}

char* dtostrf(double value, signed char width, unsigned char precision, char* out) {
  sprintf(out, "%*.*f", width, precision, value);
  return out;
}

// ---- Print / Serial ----

size_t Print::write(const uint8_t* data, size_t length) {
  size_t n = 0;
  while (length--) n += write(*data++);
  return n;
}
size_t Print::write(const char* text) { return write((const uint8_t*)text, strlen(text)); }
size_t Print::print(const char* text) { return write(text); }
size_t Print::print(char c) { return write((uint8_t)c); }
size_t Print::print(long v) {
  char b[24];
  snprintf(b, sizeof(b), "%ld", v);
  return write(b);
}
size_t Print::print(unsigned long v) {
  char b[24];
  snprintf(b, sizeof(b), "%lu", v);
  return write(b);
}
size_t Print::print(double v, int digits) {
  char b[48];
  snprintf(b, sizeof(b), "%.*f", digits, v);
  return write(b);
}
size_t Print::println() { return write("\r\n"); }

void HardwareSerial::begin(unsigned long baud) { (void)baud; }
size_t HardwareSerial::write(uint8_t c) { return write(&c, 1); }
size_t HardwareSerial::write(const uint8_t* data, size_t length) {
  size_t done = 0;
  while (done < length) {
    ssize_t n = ::write(1, data + done, length - done);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      break;
    }
    done += (size_t)n;
  }
  return done;
}
int HardwareSerial::available() { return 0; }
int HardwareSerial::read() { return -1; }

// ---- IPAddress ----

bool IPAddress::fromString(const char* text) {
  unsigned a, b, c, d;
  if (sscanf(text, "%u.%u.%u.%u", &a, &b, &c, &d) != 4 || a > 255 || b > 255 || c > 255 || d > 255) return false;
  _octets[0] = (uint8_t)a;
  _octets[1] = (uint8_t)b;
  _octets[2] = (uint8_t)c;
  _octets[3] = (uint8_t)d;
  return true;
}

size_t IPAddress::printTo(Print& p) const {
  char b[16];
  snprintf(b, sizeof(b), "%u.%u.%u.%u", _octets[0], _octets[1], _octets[2], _octets[3]);
  return p.print(b);
}

// ---- WiFi ----

int ShimWiFi::scanNetworks() {
  delay(kScanMs);
  return 1;
}
const char* ShimWiFi::SSID(int i) { return i == 0 ? "iptime" : ""; }
int32_t ShimWiFi::RSSI(int i) { return i == 0 ? -88 : 0; }
uint8_t ShimWiFi::encryptionType(int i) { return i == 0 ? ENC_TYPE_CCMP : ENC_TYPE_NONE; }

int ShimWiFi::begin(const char* ssid, const char* password) {
  beginCalled = true;
  ssidKnown = strcmp(ssid, "iptime") == 0;
  passwordRight = password && strcmp(password, "admin") == 0;
  joinAt = millis() + kJoinMs;
  return status();
}

int ShimWiFi::status() {
  if (wifiUp()) return WL_CONNECTED;
  if (beginCalled && !ssidKnown) return WL_NO_SSID_AVAIL;
  if (beginCalled && !passwordRight) return WL_WRONG_PASSWORD;
  return WL_DISCONNECTED;
}

IPAddress ShimWiFi::localIP() { return wifiUp() ? IPAddress(192, 168, 0, 138) : IPAddress(); }
bool ShimWiFi::reconnect() { return true; }

// ---- WiFiClient ----

int WiFiClient::connect(IPAddress ip, uint16_t port) {
  char host[16];
  snprintf(host, sizeof(host), "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
  return connect(host, port);
}

int WiFiClient::connect(const char* host, uint16_t port) {
  stop();
  struct sockaddr_in addr;
  if (!wifiUp() || !resolve(host, port, &addr)) return 0;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  if (::connect(fd, (struct sockaddr*)&addr, sizeof(addr)) != 0) {
    close(fd);
    return 0;
  }
  _fd = fd;
  _peerClosed = false;
  if (_noDelay) setNoDelay(true);
  return 1;
}

size_t WiFiClient::write(const uint8_t* data, size_t length) {
  if (!connected()) return 0;
  size_t done = 0;
  while (done < length) {
    ssize_t n = send(_fd, data + done, length - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      _peerClosed = true;
      break;
    }
    done += (size_t)n;
  }
  return done;
}

int WiFiClient::available() {
  if (_fd < 0 || !wifiUp()) return 0;
  int n = 0;
  if (ioctl(_fd, FIONREAD, &n) != 0) return 0;
  if (n == 0) {
    char probe;
    ssize_t r = recv(_fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) _peerClosed = true;
  }
  return n;
}

int WiFiClient::read() {
  uint8_t c;
  return read(&c, 1) == 1 ? c : -1;
}

int WiFiClient::read(uint8_t* data, size_t length) {
  if (_fd < 0 || !wifiUp()) return -1;
  ssize_t n = recv(_fd, data, length, MSG_DONTWAIT);
  if (n == 0) _peerClosed = true;
  return n > 0 ? (int)n : -1;
}

int WiFiClient::peek() {
  uint8_t c;
  if (_fd < 0) return -1;
  return recv(_fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) == 1 ? c : -1;
}

void WiFiClient::stop() {
  if (_fd >= 0) close(_fd);
  _fd = -1;
  _peerClosed = false;
}

uint8_t WiFiClient::connected() {
  if (_fd < 0) return 0;
  if (!wifiUp()) {
    // The station left the network: the link is gone, as lwIP drops its PCBs.
    stop();
    return 0;
  }
  if (_peerClosed) return available() > 0;
  available();  // notices a peer that closed
  return !_peerClosed || available() > 0;
}

void WiFiClient::setNoDelay(bool on) {
  _noDelay = on;
  if (_fd >= 0) {
    int v = on ? 1 : 0;
    setsockopt(_fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof(v));
  }
}

// ---- WiFiUDP ----

uint8_t WiFiUDP::begin(uint16_t port) {
  stop();
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr*)&addr, sizeof(addr)) != 0) {
    close(fd);
    return 0;
  }
  _fd = fd;
  return 1;
}

void WiFiUDP::stop() {
  if (_fd >= 0) close(_fd);
  _fd = -1;
}

int WiFiUDP::beginPacket(IPAddress ip, uint16_t port) {
  char host[16];
  snprintf(host, sizeof(host), "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
  return beginPacket(host, port);
}

int WiFiUDP::beginPacket(const char* host, uint16_t port) {
  struct sockaddr_in addr;
  _outLen = 0;
  _hasDest = false;
  if (_fd < 0 || !wifiUp() || !resolve(host, port, &addr)) return 0;
  memcpy(_dest, &addr, sizeof(addr));
  _hasDest = true;
  return 1;
}

size_t WiFiUDP::write(const uint8_t* data, size_t length) {
  size_t room = sizeof(_out) - _outLen;
  if (length > room) length = room;
  memcpy(_out + _outLen, data, length);
  _outLen += length;
  return length;
}

int WiFiUDP::endPacket() {
  if (!_hasDest || !wifiUp()) return 0;
  _hasDest = false;
  ssize_t n = sendto(_fd, _out, _outLen, 0, (struct sockaddr*)_dest, sizeof(struct sockaddr_in));
  return n == (ssize_t)_outLen ? 1 : 0;
}

int WiFiUDP::parsePacket() {
  _inLen = _inPos = 0;
  if (_fd < 0 || !wifiUp()) return 0;
  ssize_t n = recv(_fd, _in, sizeof(_in), MSG_DONTWAIT);
  if (n <= 0) return 0;
  _inLen = (size_t)n;
  return (int)n;
}

int WiFiUDP::read() {
  return _inPos < _inLen ? _in[_inPos++] : -1;
}

int WiFiUDP::read(unsigned char* data, size_t length) {
  size_t n = _inLen - _inPos;
  if (n == 0) return -1;
  if (n > length) n = length;
  memcpy(data, _in + _inPos, n);
  _inPos += n;
  return (int)n;
}

// ---- the core's main: setup() once, then loop() forever, as the ESP8266 does ----

void setup();
void loop();

int main() {
  signal(SIGPIPE, SIG_IGN);
  setup();
  for (;;) {
    loop();
    // The core runs its Wi-Fi stack between loop() calls; on the host we only give the CPU back.
    usleep(500);
  }
}
