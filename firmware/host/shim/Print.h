#ifndef SHIM_PRINT_H
#define SHIM_PRINT_H

#include <stdint.h>
#include <stddef.h>

class Print;

class Printable {
public:
  virtual ~Printable() {}
  virtual size_t printTo(Print& p) const = 0;
};

class Print {
public:
  virtual ~Print() {}
  virtual size_t write(uint8_t c) = 0;
  virtual size_t write(const uint8_t* data, size_t length);
  size_t write(const char* text);
  size_t print(const char* text);
  size_t print(char c);
  size_t print(int v) { return print((long)v); }
  size_t print(unsigned int v) { return print((unsigned long)v); }
  size_t print(long v);
  size_t print(unsigned long v);
  size_t print(double v, int digits = 2);
  size_t print(const Printable& v) { return v.printTo(*this); }
  size_t println();
  template <class T>
  size_t println(const T& v) { size_t n = print(v); return n + println(); }
};

#endif
