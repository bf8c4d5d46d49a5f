// RadarSensor settings: the seed's values. Change them here (or with -D flags) for your network.
#ifndef CONFIG_H
#define CONFIG_H

/* Wi-Fi config (a 2.4 GHz network: the ESP-12F does not see 5 GHz) */
#ifndef WIFI_SSID
#define WIFI_SSID "iptime"
#endif
#ifndef WIFI_PASSWORD
#define WIFI_PASSWORD "admin"
#endif

/* host server config: the laptop running `espwire serve` */
#ifndef SERVER_IP
#define SERVER_IP "192.168.0.40"
#endif
#ifndef SERVER_PORT
#define SERVER_PORT 12345
#endif
#ifndef DEVICE_NAME
#define DEVICE_NAME "radar-1"
#endif

/* one reading every READING_INTERVAL_MS (the seed's delay(1000)); READINGS_LIMIT 0 sends forever */
#ifndef READING_INTERVAL_MS
#define READING_INTERVAL_MS 1000
#endif
#ifndef READINGS_LIMIT
#define READINGS_LIMIT 0
#endif

/* Espwire: uncomment to connect once per reading like the seed, or to send over UDP */
// #define ESPWIRE_PER_MESSAGE
// #define ESPWIRE_USE_UDP
/* bytes of unacknowledged readings kept while the receiver is away (each radar reading takes about 30) */
// #define ESPWIRE_RING_BYTES 8192

#endif
