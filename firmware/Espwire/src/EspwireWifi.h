// EspwireWifi: keeps the ESP8266's station joined and says when the link goes and comes back.
// Header-only and ESP8266-specific; EspwireClient itself needs only the core's Client/UDP.
#ifndef ESPWIRE_WIFI_H
#define ESPWIRE_WIFI_H

#include <ESP8266WiFi.h>

class EspwireWifi {
public:
  enum Change { None, Lost, Joined };

  EspwireWifi(const char* ssid, const char* password) : _ssid(ssid), _password(password), _up(false), _lastBegin(0) {}

  // Call from loop(). Returns Lost when the station dropped, Joined when it is back; None otherwise.
  Change loop() {
    uint32_t now = millis();
    bool up = WiFi.status() == WL_CONNECTED;
    if (up != _up) {
      _up = up;
      _lastBegin = now;
      return up ? Joined : Lost;
    }
    // The core reconnects by itself unless auto-reconnect was turned off; ask again now and then in case.
    if (!up && now - _lastBegin > kRejoinMs) {
      WiFi.begin(_ssid, _password);
      _lastBegin = now;
    }
    return None;
  }

  bool up() const { return _up; }
  void joined() { _up = true; }  // after the sketch's own join loop in setup()

private:
  static const uint32_t kRejoinMs = 10000;
  const char* _ssid;
  const char* _password;
  bool _up;
  uint32_t _lastBegin;
};

#endif
