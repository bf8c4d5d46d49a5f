#!/usr/bin/env bash
# The MQTT forwarding benchmark: Espwire's outbox (espwire serve --mqtt) beside mosquitto_pub -l, at QoS 0 and 1, on
# the same Mosquitto in the same run, loopback only; then the backlog drain rate after a broker outage.
# Writes bench/mqtt/RESULTS.md. Usage: bash bench/mqtt/run.sh   (N=20000 for a quick smoke run; default 100000;
# BASELINE_REF=main, the default, adds that commit's rows beside this tree's; BASELINE_REF=none leaves them out)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "run.sh: needs mosquitto (apt-get install mosquitto)"; exit 1; }
command -v mosquitto_pub >/dev/null || { echo "run.sh: needs mosquitto_pub (apt-get install mosquitto-clients)"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Espwire.Cli -c Release -nologo -v quiet >/dev/null
# Before/after in one run: BASELINE_REF (main by default; BASELINE_REF=none to skip) is exported with git archive into
# a temporary directory and built there, and run.py runs it beside this tree at the same load.
BASELINE_REF=${BASELINE_REF:-main}
if [ "$BASELINE_REF" != none ]; then
    base=$(mktemp -d -t espwire-bench-mqtt-base-XXXXXX)
    trap 'rm -rf "$base"' EXIT
    git archive "$BASELINE_REF" | tar -x -C "$base"
    (cd "$base" && dotnet build src/Espwire.Cli -c Release -nologo -v quiet >/dev/null)
    export BASELINE_REF BASELINE_DLL="$base/src/Espwire.Cli/bin/Release/net10.0/espwire.dll"
fi
/usr/bin/python3 bench/mqtt/run.py
