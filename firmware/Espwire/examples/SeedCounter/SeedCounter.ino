// SeedCounter: the seed's sketch (scan, join, then one counter reading a second) with nothing lost.
// Each reading stays in the device's ring until `espwire serve` acknowledges it; after a receiver restart or a
// Wi-Fi drop the device reconnects and resends what was not stored.
#include "config.h"  // first: it may set ESPWIRE_* options
#include <ESP8266WiFi.h>
#include <ArduinoOTA.h>
#include <Espwire.h>
#include <EspwireWifi.h>
#include "Report.h"

#ifdef ESPWIRE_USE_UDP
WiFiUDP link;
#else
WiFiClient link;
#endif
EspwireClient espwire(link);
EspwireWifi wifi(WIFI_SSID, WIFI_PASSWORD);

long num = 0;
unsigned long lastReading = 0;
bool doneReported = false;

void setup() {
  /* serial communication init */
  Serial.begin(115200);
  delay(10);

  /* Wi-Fi network scan */
  int n = WiFi.scanNetworks();
  Serial.print(" Wi-Fi scan result :  ");
  if (n == 0) {
    Serial.println("network not found\n");
  } else {
    Serial.print(n);
    Serial.println(" networks found\n");
  }
  for (int i = 0; i < n; i++) {
    Serial.print("[Wi-Fi ");
    Serial.print(i + 1);
    Serial.print("]  ");
    Serial.print(WiFi.SSID(i));
    Serial.print("\t\t(");
    Serial.print(WiFi.RSSI(i));
    Serial.print(" dbm)");
    Serial.println((WiFi.encryptionType(i) == ENC_TYPE_NONE) ? " " : "   * encryption *");
    delay(10);
  }
  Serial.println();

  /* Wi-Fi network connect */
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
  while (WiFi.status() != WL_CONNECTED) {
    delay(500);
    Serial.print("Connecting to '");
    Serial.print(WIFI_SSID);
    Serial.print("' [status : ");
    Serial.print(WiFi.status());
    Serial.println("]");
  }
  Serial.println("\nWi-Fi connected.\n");
  wifi.joined();

  ArduinoOTA.setHostname(DEVICE_NAME);
  ArduinoOTA.begin();

  espwire.onEvent(printLinkEvent);
  espwire.begin(SERVER_IP, SERVER_PORT, DEVICE_NAME);
  Serial.print("Sending to ");
  Serial.print(SERVER_IP);
  Serial.print(":");
  Serial.print(SERVER_PORT);
  Serial.print(" as ");
  Serial.print(DEVICE_NAME);
  Serial.print(", keeping up to ");
  Serial.print((unsigned long)espwire.ringBytes());
  Serial.println(" bytes of readings until they are acknowledged.");
  lastReading = millis();
}

void loop() {
  ArduinoOTA.handle();
  switch (wifi.loop()) {
    case EspwireWifi::Lost:
      Serial.println("Wi-Fi lost; readings are kept until it is back.");
      break;
    case EspwireWifi::Joined:
      Serial.print("Wi-Fi connected again as ");
      Serial.println(WiFi.localIP());
      break;
    default:
      break;
  }
  espwire.loop();

  bool producing = READINGS_LIMIT == 0 || num < READINGS_LIMIT;
  if (producing && millis() - lastReading >= READING_INTERVAL_MS) {
    lastReading += READING_INTERVAL_MS;
    espwire.send(num++);  /* the seed's client.println(num++), kept until stored */
  }
  if (!producing && !doneReported && espwire.pending() == 0) {
    doneReported = true;
    Serial.print("All ");
    Serial.print(num);
    Serial.print(" readings done: ");
    Serial.print(num - (long)espwire.dropped());
    Serial.print(" acknowledged, ");
    Serial.print((unsigned long)espwire.dropped());
    Serial.println(" dropped.");
  }
}
