// Espwire: sensor readings that are never lost. Include this from a sketch.
#ifndef ESPWIRE_H
#define ESPWIRE_H

#include "EspwireClient.h"
// EspwireWifi.h (Wi-Fi keep-alive for the ESP8266) is included by sketches that want it.

#endif
