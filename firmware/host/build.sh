#!/usr/bin/env bash
# Builds the Espwire library's examples for Linux against the host shim (an Arduino/ESP8266WiFi stand-in).
# Usage: firmware/host/build.sh [OUT_DIR]        (default firmware/host/build)
#   CXXFLAGS_EXTRA="-DREADINGS_LIMIT=40 -DESPWIRE_RING_BYTES=256" firmware/host/build.sh /tmp/out
# Produces OUT_DIR/SeedCounter, OUT_DIR/RadarSensor and OUT_DIR/SeedCounterUdp, OUT_DIR/SeedCounterPerMessage.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lib="$here/../Espwire"
out="${1:-$here/build}"
mkdir -p "$out"
cxx="${CXX:-g++}"
flags=(-std=gnu++17 -O2 -g -Wall -Wextra -Werror -I"$here/shim" -I"$lib/src")
# shellcheck disable=SC2206
extra=(${CXXFLAGS_EXTRA:-})

# The library and the shim once, then each example (an .ino is C++ whose functions are declared before use).
"$cxx" "${flags[@]}" "${extra[@]}" -c "$lib/src/EspwireClient.cpp" -o "$out/EspwireClient.o"
"$cxx" "${flags[@]}" "${extra[@]}" -c "$here/shim/shim.cpp" -o "$out/shim.o"
build() {
  local example="$1" name="$2"; shift 2
  "$cxx" "${flags[@]}" "${extra[@]}" "$@" -I"$lib/examples/$example" -x c++ "$lib/examples/$example/$example.ino" -x none \
    "$out/EspwireClient.o" "$out/shim.o" -o "$out/$name"
}
build SeedCounter SeedCounter
build RadarSensor RadarSensor
build SeedCounter SeedCounterPerMessage -DESPWIRE_PER_MESSAGE
build SeedCounter SeedCounterUdp -DESPWIRE_USE_UDP
echo "built: $out/SeedCounter $out/RadarSensor $out/SeedCounterPerMessage $out/SeedCounterUdp"
