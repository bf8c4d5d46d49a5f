#!/usr/bin/env bash
# Firmware benchmark: readings/s one host-built device (the library over the host shim) gets acknowledged, and the
# library's RAM. Usage: bash bench/firmware/run.sh [SECONDS]
# The device sends as fast as it can (READING_INTERVAL_MS=1 at shim time scale 0.001: a reading every microsecond, far above what the link takes) to a minimal Python ack receiver.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
secs="${1:-5}"
out="$(mktemp -d)"
CXXFLAGS_EXTRA="-DREADING_INTERVAL_MS=1" bash "$here/../../firmware/host/build.sh" "$out" >/dev/null
echo "machine: $(nproc) cores, $(uname -m); load: $(uptime | sed 's/.*load average/load average/')"
measure() {  # measure EXAMPLE: readings/s acknowledged
  python3 "$here/fake_receiver.py" "$secs" > "$out/recv.log" &
  local recv=$!
  until [ -s "$out/recv.log" ]; do sleep 0.05; done
  local port; port=$(head -1 "$out/recv.log")
  ESPWIRE_SHIM_SERVER="127.0.0.1:$port" ESPWIRE_SHIM_TIME_SCALE=0.001 "$out/$1" > "$out/device.log" &
  local dev=$!
  wait "$recv"
  kill "$dev" 2>/dev/null || true
  wait "$dev" 2>/dev/null || true
  tail -1 "$out/recv.log" | sed -E 's/.*: ([0-9]+) readings\/s/\1/'
}
persistent=$(measure SeedCounter)
permsg=$(measure SeedCounterPerMessage)
echo "persistent connection (default): $persistent readings/s acknowledged"
echo "per-message (ESPWIRE_PER_MESSAGE, the seed's style made safe): $permsg readings/s acknowledged"
echo "ratio persistent / per-message: $(python3 -c "print(f'{$persistent / max($permsg, 1):.1f}')")"
echo "host object (x86_64): $(size "$out/EspwireClient.o" | tail -1 | awk '{print "text " $1 ", data " $2 ", bss " $3}')"
size_hex=$(nm -S -C "$out/SeedCounter" | awk '$4 == "espwire" {print $2}')
echo "host client object 'espwire' (x86_64, nm): $((16#$size_hex)) bytes"
bash "$here/../../firmware/host/xtensa.sh" "$out" | tail -3
rm -rf "$out"
