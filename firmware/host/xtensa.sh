#!/usr/bin/env bash
# Compiles the Espwire library for the ESP8266 (xtensa-lx106, Debian's gcc-xtensa-lx106) to an object file, with the
# ESP8266 core's usual code-generation flags, and prints its section sizes. Needs no ESP8266 core: stub headers.
# Usage: firmware/host/xtensa.sh [OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/build}"
mkdir -p "$out"
xtensa-lx106-elf-g++ -std=gnu++17 -Os -mlongcalls -mtext-section-literals -ffunction-sections -fdata-sections \
  -fno-exceptions -fno-rtti -ffreestanding -Wall -Wextra -Werror \
  -I"$here/xtensa-stubs" -I"$here/shim" -I"$here/../Espwire/src" \
  -c "$here/../Espwire/src/EspwireClient.cpp" -o "$out/EspwireClient.xtensa.o"
xtensa-lx106-elf-size "$out/EspwireClient.xtensa.o"
# RAM one client takes on the ESP8266: the session (sizeof, from a probe object) plus its ring and write buffer.
printf '#include <EspwireClient.h>\nchar espwire_session_bytes[sizeof(EspwireSession)];\nchar espwire_client_bytes[sizeof(EspwireClient)];\n' > "$out/probe.cpp"
xtensa-lx106-elf-g++ -std=gnu++17 -Os -ffreestanding -fno-exceptions -fno-rtti \
  -I"$here/xtensa-stubs" -I"$here/shim" -I"$here/../Espwire/src" -c "$out/probe.cpp" -o "$out/probe.xtensa.o"
xtensa-lx106-elf-nm -S "$out/probe.xtensa.o" | while read -r _ size _ name; do echo "sizeof ${name%_bytes}: $((16#$size)) bytes"; done
