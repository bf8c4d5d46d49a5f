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
measure_serve() {  # measure_serve EXAMPLE: readings/s stored and acknowledged by the real receiver, espwire serve
  local root; root="$(cd "$here/../.." && pwd)"
  dotnet build "$root/src/Espwire.Cli" -c Release -nologo -v quiet >/dev/null
  dotnet "$root/src/Espwire.Cli/bin/Release/net10.0/espwire.dll" serve --tcp 127.0.0.1:0 --no-udp --quiet --db "$out/serve.db" > "$out/serve.log" 2>&1 &
  local srv=$!
  until grep -q "^Listening '127.0.0.1:" "$out/serve.log"; do sleep 0.05; done
  local port; port=$(sed -nE "s/^Listening '127\.0\.0\.1:([0-9]+)'.*/\1/p" "$out/serve.log" | head -1)
  ESPWIRE_SHIM_SERVER="127.0.0.1:$port" ESPWIRE_SHIM_TIME_SCALE=0.001 "$out/$1" > "$out/device.log" &
  local dev=$!
  # Count from the first stored reading, so the device's boot (scan, join) is not in the time.
  until [ "$(python3 -c "import sqlite3;print(sqlite3.connect('file:$out/serve.db?mode=ro',uri=True).execute('select count(*) from readings').fetchone()[0])" 2>/dev/null || echo 0)" -gt 0 ]; do sleep 0.05; done
  local first; first=$(python3 -c "import sqlite3;print(sqlite3.connect('file:$out/serve.db?mode=ro',uri=True).execute('select count(*) from readings').fetchone()[0])")
  sleep "$secs"
  local last; last=$(python3 -c "import sqlite3;print(sqlite3.connect('file:$out/serve.db?mode=ro',uri=True).execute('select count(*) from readings').fetchone()[0])")
  kill "$dev" 2>/dev/null || true; wait "$dev" 2>/dev/null || true
  kill -TERM "$srv" 2>/dev/null || true; wait "$srv" 2>/dev/null || true
  rm -f "$out"/serve.db*
  echo $(( (last - first) / secs ))
}
persistent_serve=$(measure_serve SeedCounter)
persistent=$(measure SeedCounter)
permsg=$(measure SeedCounterPerMessage)
echo "persistent connection (default), to espwire serve (SQLite, acknowledged after commit): $persistent_serve readings/s"
echo "persistent connection (default), to the minimal Python ack receiver (no store): $persistent readings/s acknowledged"
echo "ratio espwire serve / minimal Python receiver: $(python3 -c "print(f'{$persistent_serve / max($persistent, 1):.2f}')")"
echo "per-message (ESPWIRE_PER_MESSAGE, the seed's style made safe): $permsg readings/s acknowledged"
echo "ratio persistent / per-message: $(python3 -c "print(f'{$persistent / max($permsg, 1):.1f}')")"
echo "host object (x86_64): $(size "$out/EspwireClient.o" | tail -1 | awk '{print "text " $1 ", data " $2 ", bss " $3}')"
size_hex=$(nm -S -C "$out/SeedCounter" | awk '$4 == "espwire" {print $2}')
echo "host client object 'espwire' (x86_64, nm): $((16#$size_hex)) bytes"
bash "$here/../../firmware/host/xtensa.sh" "$out" | tail -3
rm -rf "$out"
