// What the examples print about the link, on the serial monitor.
#ifndef REPORT_H
#define REPORT_H

#include <Espwire.h>

static void printLinkEvent(EspwireSession::Event event, uint64_t value) {
  switch (event) {
    case EspwireSession::Connected:
      Serial.print("Connected to ");
      Serial.print(SERVER_IP);
      Serial.print(":");
      Serial.print(SERVER_PORT);
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
