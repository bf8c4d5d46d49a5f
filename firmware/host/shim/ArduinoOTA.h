// Host shim of ArduinoOTA: no updates on the host; begin() and handle() do nothing.
#ifndef SHIM_ARDUINOOTA_H
#define SHIM_ARDUINOOTA_H

class ArduinoOTAClass {
public:
  void setHostname(const char* name) { (void)name; }
  void setPassword(const char* password) { (void)password; }
  void begin() {}
  void handle() {}
};

extern ArduinoOTAClass ArduinoOTA;

#endif
