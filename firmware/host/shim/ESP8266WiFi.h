// Host shim of ESP8266WiFi: a virtual station that joins the seed's 'iptime' network, and sockets on loopback.
// Controlled from tests by environment variables (see shim.cpp): ESPWIRE_SHIM_SERVER, ESPWIRE_SHIM_WIFI_FILE,
// ESPWIRE_SHIM_TIME_SCALE.
#ifndef SHIM_ESP8266WIFI_H
#define SHIM_ESP8266WIFI_H

#include "Arduino.h"
#include "IPAddress.h"
#include "WiFiClient.h"
#include "WiFiUdp.h"

// WiFi.status() values (the core's wl_definitions.h numbers, as in the seed's table).
enum wl_status_t {
  WL_IDLE_STATUS = 0,
  WL_NO_SSID_AVAIL = 1,
  WL_SCAN_COMPLETED = 2,
  WL_CONNECTED = 3,
  WL_CONNECT_FAILED = 4,
  WL_CONNECTION_LOST = 5,
  WL_WRONG_PASSWORD = 6,
  WL_DISCONNECTED = 7,
};

enum wl_enc_type { ENC_TYPE_WEP = 5, ENC_TYPE_TKIP = 2, ENC_TYPE_CCMP = 4, ENC_TYPE_NONE = 7, ENC_TYPE_AUTO = 8 };

class ShimWiFi {
public:
  int scanNetworks();
  const char* SSID(int i);
  int32_t RSSI(int i);
  uint8_t encryptionType(int i);
  int begin(const char* ssid, const char* password);
  int status();
  IPAddress localIP();
  bool reconnect();
  void setAutoReconnect(bool on) { (void)on; }
};

extern ShimWiFi WiFi;

#endif
