// What the examples print about the link, on the serial monitor: the library's lines, with this sketch's server.
#ifndef REPORT_H
#define REPORT_H

#include <EspwireReport.h>

static void printLinkEvent(EspwireSession::Event event, uint64_t value) {
  espwirePrintLinkEvent(SERVER_IP, SERVER_PORT, event, value);
}

#endif
