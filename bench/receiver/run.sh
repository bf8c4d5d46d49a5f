#!/usr/bin/env bash
# The receiver benchmark: Espwire (SQLite, and no sink) beside the seed's Python server and a socat listener,
# same load generator, same run, on loopback. Writes bench/receiver/RESULTS.md. Takes about 3-5 minutes.
# Usage: bash bench/receiver/run.sh   (SCALE=0.2 for a quick smoke run)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
scale=${SCALE:-1}
n() { /usr/bin/python3 -c "print(max(1, int($1 * $scale)))"; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
command -v socat >/dev/null || { echo "run.sh: needs socat (apt-get install socat)"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Espwire.Cli -c Release -nologo -v quiet >/dev/null
dotnet build bench/Espwire.Bench.Receiver -c Release -nologo -v quiet >/dev/null
espwire="dotnet $root/src/Espwire.Cli/bin/Release/net10.0/espwire.dll"
gen="dotnet $root/bench/Espwire.Bench.Receiver/bin/Release/net10.0/Espwire.Bench.Receiver.dll"

work=$(mktemp -d /tmp/espwire-bench-XXXX)
results="$work/results.jsonl"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "server on $1 did not start"; exit 1; }
stop_server() { if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
record() { # name, then generator arguments
  local name=$1; shift
  cut -d' ' -f1 /proc/loadavg >> "$work/load.txt"
  local out; out=$($gen "$@")
  echo "{\"name\":\"$name\",\"result\":$out}" >> "$results"
  echo "  $name: $out"
}
cpu_ticks() { awk '{print $14 + $15}' /proc/"$1"/stat; }
record_cpu() { # like record, and adds the server's CPU seconds (user+system) during the run
  local name=$1; shift
  cut -d' ' -f1 /proc/loadavg >> "$work/load.txt"
  local before; before=$(cpu_ticks "$server_pid")
  local out; out=$($gen "$@")
  local cpu; cpu=$(/usr/bin/python3 -c "print(round(($(cpu_ticks "$server_pid") - $before) / $(getconf CLK_TCK), 2))")
  out="${out%\}},\"server_cpu_s\":$cpu}"
  echo "{\"name\":\"$name\",\"result\":$out}" >> "$results"
  echo "  $name: $out"
}
start_espwire() { # extra serve args; sets port and server_pid. GEN0 set: run with a 64 MB gen0 GC budget.
  port=$(free_port)
  ${GEN0:+env DOTNET_GCgen0size=0x4000000} $espwire serve --tcp 127.0.0.1:"$port" --udp 127.0.0.1:"$port" --quiet --max-connections 20000 --max-per-address 20000 "$@" \
    > "$work/espwire.out" 2> "$work/espwire.err" &
  server_pid=$!
  wait_port "$port"
}

permsg=$(n 5000); lines_sql=$(n 1000000); lines_fast=$(n 2500000); udp=$(n 200000); idle=10000
echo "run.sh: per-message $permsg connections; persistent 4 x $lines_fast lines (no sink), 4 x $((lines_sql / 4)) (SQLite); UDP $udp datagrams"

echo "Espwire, SQLite"
start_espwire --db "$work/a.db"
record "espwire-sqlite permsg c1" permsg 127.0.0.1:"$port" "$permsg" 1 --db "$work/a.db" --expect "$permsg"
stop_server
start_espwire --db "$work/b.db"
record "espwire-sqlite permsg c16" permsg 127.0.0.1:"$port" "$permsg" 16 --db "$work/b.db" --expect "$permsg"
stop_server
start_espwire --db "$work/c.db"
record_cpu "espwire-sqlite persistent 4" persistent 127.0.0.1:"$port" 4 $((lines_sql / 4)) --db "$work/c.db"
# The same server again, now that the JIT has compiled the hot paths at full optimisation (a receiver runs for days).
record_cpu "espwire-sqlite persistent 4 warm" persistent 127.0.0.1:"$port" 4 $((lines_sql / 4)) --db "$work/c.db"
stop_server
start_espwire --db "$work/d.db"
record "espwire-sqlite udp" udp 127.0.0.1:"$port" "$udp" 1 --db "$work/d.db" --wait-seconds 10
stop_server

echo "Espwire, no sink"
start_espwire --no-db
record_cpu "espwire-nosink permsg c1" permsg 127.0.0.1:"$port" "$permsg" 1
record_cpu "espwire-nosink permsg c16" permsg 127.0.0.1:"$port" "$permsg" 16
record_cpu "espwire-nosink persistent 4" persistent 127.0.0.1:"$port" 4 "$lines_fast"
record_cpu "espwire-nosink persistent 4 warm" persistent 127.0.0.1:"$port" 4 "$lines_fast"
record_cpu "espwire-nosink persistent 64" persistent 127.0.0.1:"$port" 64 $((lines_fast / 16))
stop_server
grep -o 'Stopped\. [0-9]* readings stored' "$work/espwire.err" | sed 's/^/  espwire-nosink summary: /' || true
expected_nosink=$((2 * permsg + 8 * lines_fast + 64 * (lines_fast / 16)))  # the port probe adds no lines
stored_nosink=$(grep -o 'Stopped\. [0-9]*' "$work/espwire.err" | grep -o '[0-9]*' || echo 0)

echo "Espwire, tuned: DOTNET_GCgen0size=0x4000000 (64 MB gen0 budget; the default follows the CPU cache size)"
GEN0=1 start_espwire --no-db
record "espwire-nosink-gen0 persistent 4" persistent 127.0.0.1:"$port" 4 "$lines_fast"
stop_server
GEN0=1 start_espwire --db "$work/e.db"
record "espwire-sqlite-gen0 persistent 4" persistent 127.0.0.1:"$port" 4 $((lines_sql / 4)) --db "$work/e.db"
stop_server

echo "SQLite alone, in-process: Espwire's sink (10 columns, index) beside plain prepared 3-column inserts"
record "sqlite-sink in-process" sink "$work/f.db" $((lines_sql / 2))
record "sqlite-plain in-process" plain "$work/g.db" $((lines_sql / 2))

echo "Espwire, idle connections (RSS)"
start_espwire --no-db --idle-timeout 0
rss_before=$(awk '/VmRSS/ {print $2}' /proc/"$server_pid"/status)
coproc IDLE { $gen idle 127.0.0.1:"$port" "$idle"; }
read -r ready <&"${IDLE[0]}"
rss_idle=$(awk '/VmRSS/ {print $2}' /proc/"$server_pid"/status)
echo done >&"${IDLE[1]}"
wait "$IDLE_PID" 2>/dev/null || true
stop_server
echo "  RSS: $rss_before kB at start, $rss_idle kB with $idle idle connections ($ready)"

echo "The seed's Python server (per-message only: it reads once and closes)"
port=$(free_port)
/usr/bin/python3 -u bench/receiver/seed_server.py 127.0.0.1 "$port" > "$work/seed.out" 2>&1 &
server_pid=$!
wait_port "$port"
record_cpu "seed-python permsg c1" permsg 127.0.0.1:"$port" "$permsg" 1
record_cpu "seed-python permsg c16" permsg 127.0.0.1:"$port" "$permsg" 16
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
seed_received=$(grep -c '^Received data' "$work/seed.out" || true)
# The wait_port probe counts as one connection the seed accepted.
echo "  seed printed $seed_received 'Received data' lines"

echo "socat listener writing to a file"
port=$(free_port)
socat -u TCP-LISTEN:"$port",reuseaddr,fork,backlog=4096 OPEN:"$work/socat1.txt",creat,append &
server_pid=$!
wait_port "$port"
record "socat permsg c1" permsg 127.0.0.1:"$port" "$permsg" 1 --file "$work/socat1.txt" --expect "$permsg"
record "socat permsg c16" permsg 127.0.0.1:"$port" "$permsg" 16 --file "$work/socat1.txt" --expect "$permsg"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
port=$(free_port)
socat -u TCP-LISTEN:"$port",reuseaddr,fork,backlog=4096 OPEN:"$work/socat2.txt",creat,append &
server_pid=$!
wait_port "$port"
record "socat persistent 4" persistent 127.0.0.1:"$port" 4 "$lines_fast" --file "$work/socat2.txt" --expect $((4 * lines_fast))
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

/usr/bin/python3 bench/receiver/report.py "$results" bench/receiver/RESULTS.md \
  --before bench/receiver/before.jsonl --load-samples "$work/load.txt" \
  --rss "$rss_before" "$rss_idle" "$idle" --seed-received "$seed_received" --nosink "$stored_nosink" "$expected_nosink" --scale "$scale"
echo "run.sh: wrote bench/receiver/RESULTS.md"
