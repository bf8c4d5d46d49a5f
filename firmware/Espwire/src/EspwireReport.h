// What a sketch can print about its link to the receiver, on the serial monitor (the examples use it).
#ifndef ESPWIRE_REPORT_H
#define ESPWIRE_REPORT_H

#include "Espwire.h"

// Prints one line for a link event of EspwireSession (connected, lost, connect failed, dropped, rejected).
// Call it from the sketch's onEvent callback with the server it talks to.
inline void espwirePrintLinkEvent(const char* server, int port, EspwireSession::Event event, uint64_t value) {
  switch (event) {
    case EspwireSession::Connected:
      Serial.print("Connected to ");
      Serial.print(server);
      Serial.print(":");
      Serial.print(port);
      Serial.print(", receiver has up to #");
      Serial.println((unsigned long)value);
      break;
    case EspwireSession::Disconnected:
      Serial.print("Lost the server; ");
      Serial.print((unsigned long)value);
      Serial.println(" readings kept for resending.");
      break;
    case EspwireSession::ConnectFailed:
      Serial.print("Failed to connect to server. Next try in ");
      Serial.print((unsigned long)value);
      Serial.println(" ms.");
      break;
    case EspwireSession::Dropped:
      Serial.print("Ring full: dropped the oldest reading (");
      Serial.print((unsigned long)value);
      Serial.println(" dropped so far).");
      break;
    case EspwireSession::Rejected:
      Serial.print("The server refused reading #");
      Serial.println((unsigned long)value);
      break;
  }
}

#endif
