#!/usr/bin/env bash
# Per-message only (the seed's sketch: connect, send "N\r\n", close): Espwire without a sink, 1 and 16 client
# threads, with the server's CPU time per connection, first on a fresh server (as run.sh measures: the JIT is still
# compiling) and again after 10,000 warm-up connections. Loopback only.
# Usage: bash bench/receiver/permsg.sh [COUNT]   (ESPWIRE_DLL=path/espwire.dll: another build; SERVER_ENV="A=1 B=2": server env)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
count=${1:-5000}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Espwire.Cli -c Release -nologo -v quiet >/dev/null
dotnet build bench/Espwire.Bench.Receiver -c Release -nologo -v quiet >/dev/null
espwire="dotnet ${ESPWIRE_DLL:-$root/src/Espwire.Cli/bin/Release/net10.0/espwire.dll}"
gen="dotnet $root/bench/Espwire.Bench.Receiver/bin/Release/net10.0/Espwire.Bench.Receiver.dll"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
env ${SERVER_ENV:-} $espwire serve --tcp 127.0.0.1:"$port" --quiet --no-db --max-connections 20000 --max-per-address 20000 >/dev/null 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.05; done
ticks() { awk '{print $14 + $15}' /proc/"$pid"/stat; }
run() { # label, client threads
  local load before out cpu
  load=$(cut -d' ' -f1 /proc/loadavg); before=$(ticks)
  out=$($gen permsg 127.0.0.1:"$port" "$count" "$2")
  cpu=$(/usr/bin/python3 -c "print(round(($(ticks) - $before) / $(getconf CLK_TCK) / $count * 1e6))")
  echo "$1 c$2 load=$load server_cpu_us_per_conn=$cpu $out"
}
run cold 1; run cold 16
$gen permsg 127.0.0.1:"$port" 10000 16 >/dev/null
run warm 1; run warm 16
