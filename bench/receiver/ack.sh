#!/usr/bin/env bash
# Acknowledgements and per-message limits, one command: acknowledged vs plain persistent streams into SQLite,
# acknowledged vs plain per-message connections/s into SQLite, and per-message connections/s at 1, 4 and 16 client
# threads for Espwire (no sink) beside a bare C accept-read-close server (bench/receiver/bare_server.c, the
# physical limit on this machine), all in the same run, loopback only. Writes its section of bench/receiver/RESULTS.md.
# Usage: bash bench/receiver/ack.sh   (SCALE=0.1 for a quick smoke run; about 3-4 minutes at SCALE=1 on a quiet machine)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
scale=${SCALE:-1}
n() { /usr/bin/python3 -c "print(max(1, int($1 * $scale)))"; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
command -v gcc >/dev/null || { echo "ack.sh: needs gcc (apt-get install gcc)"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Espwire.Cli -c Release -nologo -v quiet >/dev/null
dotnet build bench/Espwire.Bench.Receiver -c Release -nologo -v quiet >/dev/null
espwire="dotnet $root/src/Espwire.Cli/bin/Release/net10.0/espwire.dll"
gen="dotnet $root/bench/Espwire.Bench.Receiver/bin/Release/net10.0/Espwire.Bench.Receiver.dll"
work=$(mktemp -d /tmp/espwire-ack-bench-XXXX)
gcc -O2 -o "$work/bare_server" bench/receiver/bare_server.c
results="$work/results.jsonl"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
start() { # command...: starts a server that prints "Listening 'ADDR:PORT'"; sets port and server_pid
  "$@" > "$work/server.out" 2> "$work/server.err" &
  server_pid=$!
  for _ in $(seq 1 600); do
    port=$(sed -n "s/^Listening '127.0.0.1:\([0-9]*\)'$/\1/p" "$work/server.out" | head -1)
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  echo "ack.sh: server did not start: $(cat "$work/server.err")"; exit 1
}
stop() { if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }
record() { # name, generator arguments
  local name=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  local out; out=$($gen "$@")
  echo "{\"name\":\"$name\",\"load\":$load,\"result\":$out}" >> "$results"
  echo "  $name (load $load): $out"
}
serve() { start $espwire serve --tcp 127.0.0.1:0 --no-udp --quiet --max-connections 20000 --max-per-address 20000 "$@"; }

lines=$(n 250000); permsg=$(n 5000)
echo "ack.sh: persistent 4 x $lines lines, per-message $permsg connections per run"

echo "Persistent stream into SQLite: plain vs acknowledged (alternating, twice each)"
serve --db "$work/stream.db"
for rep in 1 2; do
  record "plain stream" persistent 127.0.0.1:"$port" 4 "$lines" --db "$work/stream.db"
  record "ack stream" ackstream 127.0.0.1:"$port" 4 "$lines"
done
stop

echo "Per-message into SQLite, 16 client threads: plain vs acknowledged"
serve --db "$work/permsg.db"
$gen permsg 127.0.0.1:"$port" "$permsg" 16 >/dev/null # warm-up (JIT)
for rep in 1 2; do
  record "plain permsg sqlite c16" permsg 127.0.0.1:"$port" "$permsg" 16 --db "$work/permsg.db"
  record "ack permsg sqlite c16" ackpermsg 127.0.0.1:"$port" "$permsg" 16
done
stop

echo "Per-message, no sink: Espwire vs bare C accept-read-close"
serve --no-db
$gen permsg 127.0.0.1:"$port" "$permsg" 16 >/dev/null # warm-up (JIT)
for c in 1 4 16; do record "espwire permsg c$c" permsg 127.0.0.1:"$port" "$permsg" "$c"; done
stop
# The same build with socket completions inline on one event thread (an opt-in, see the README) beside the default.
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=1 serve --no-db
$gen permsg 127.0.0.1:"$port" "$permsg" 16 >/dev/null # warm-up (JIT)
for c in 1 4 16; do record "espwire-inline permsg c$c" permsg 127.0.0.1:"$port" "$permsg" "$c"; done
stop
start "$work/bare_server" 0
for c in 1 4 16; do record "bare-c permsg c$c" permsg 127.0.0.1:"$port" "$permsg" "$c"; done
stop

/usr/bin/python3 - "$results" "$scale" <<'PY'
import json, sys, os, platform, subprocess, datetime
rows = [json.loads(l) for l in open(sys.argv[1])]
scale = sys.argv[2]
def best(name, key):
    vals = [r["result"][key] for r in rows if r["name"] == name]
    return max(vals) if vals else 0
def load(name):
    vals = [r["load"] for r in rows if r["name"] == name]
    return "/".join(f"{v:.1f}" for v in vals)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
out = []
out.append("<!-- ack.sh begin -->")
out.append("## Acknowledgements and the per-message limit (bench/receiver/ack.sh)")
out.append("")
out.append(f"Run {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, SCALE={scale}, {os.cpu_count()} cores ({cpu}), "
           f"uptime: `{subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}`. "
           "Best of the runs; load average (1 min) at the start of each run in the last column.")
if scale != "1":
    out.append("")
    out.append(f"**Smoke run (SCALE={scale}): it shows the benchmark works, not how fast anything is. Re-run `bash bench/receiver/ack.sh` on a quiet machine.**")
out.append("")
out.append("| what | Espwire | peer | ratio | load |")
out.append("|---|---:|---:|---:|---|")
a, p = best("ack stream", "lines_per_s"), best("plain stream", "lines_per_s")
out.append(f"| persistent stream into SQLite, 4 connections, lines/s: acknowledged vs plain | {a:,.0f} | {p:,.0f} | {a / p if p else 0:.2f}x | {load('ack stream')} vs {load('plain stream')} |")
a, p = best("ack permsg sqlite c16", "connections_per_s"), best("plain permsg sqlite c16", "connections_per_s")
out.append(f"| per-message into SQLite, 16 threads, conn/s: acknowledged vs plain | {a:,.0f} | {p:,.0f} | {a / p if p else 0:.2f}x | {load('ack permsg sqlite c16')} vs {load('plain permsg sqlite c16')} |")
for c in (1, 4, 16):
    e, b = best(f"espwire permsg c{c}", "connections_per_s"), best(f"bare-c permsg c{c}", "connections_per_s")
    out.append(f"| per-message, no sink, {c} client thread{'s' if c > 1 else ''}, conn/s: Espwire vs bare C accept-read-close | {e:,.0f} | {b:,.0f} | {e / b if b else 0:.2f}x | {load(f'espwire permsg c{c}')} vs {load(f'bare-c permsg c{c}')} |")
for c in (1, 4, 16):
    e, b = best(f"espwire-inline permsg c{c}", "connections_per_s"), best(f"espwire permsg c{c}", "connections_per_s")
    out.append(f"| per-message, no sink, {c} client thread{'s' if c > 1 else ''}, conn/s: Espwire with inline socket completions on one event thread (opt-in) vs Espwire as shipped | {e:,.0f} | {b:,.0f} | {e / b if b else 0:.2f}x | {load(f'espwire-inline permsg c{c}')} vs {load(f'espwire permsg c{c}')} |")
out.append("")
out.append("Acknowledged: the client counts a reading only when its `ACK` (after the SQLite commit) arrives; plain: "
           "when the generator sees the row in the database. The bare C server (bare_server.c: one thread, epoll, "
           "accept, read to the end, close) is the limit of the kernel and the client on this machine; the load "
           "generator runs on the same cores, so ratios are the meaningful numbers. A loaded machine understates both. "
           "The last rows run the same build with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 and "
           "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=1 (the receiving and parsing on the socket event thread) beside .NET's "
           "default hand-off to the thread pool, which serve keeps (README: why).")
out.append("<!-- ack.sh end -->")
section = "\n".join(out) + "\n"
path = "bench/receiver/RESULTS.md"
text = open(path).read() if os.path.exists(path) else ""
if "<!-- ack.sh begin -->" in text:
    start = text.index("<!-- ack.sh begin -->"); end = text.index("<!-- ack.sh end -->") + len("<!-- ack.sh end -->\n")
    text = text[:start] + section + text[end:]
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text)
print(section)
PY
