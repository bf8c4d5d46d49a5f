#!/usr/bin/env bash
# The MQTT forwarding benchmark: Espwire's outbox (espwire serve --mqtt) beside mosquitto_pub -l, at QoS 0 and 1, on
# the same Mosquitto in the same run, loopback only; then the backlog drain rate after a broker outage.
# Writes bench/mqtt/RESULTS.md. Usage: bash bench/mqtt/run.sh   (N=20000 for a quick smoke run; default 100000)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "run.sh: needs mosquitto (apt-get install mosquitto)"; exit 1; }
command -v mosquitto_pub >/dev/null || { echo "run.sh: needs mosquitto_pub (apt-get install mosquitto-clients)"; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Espwire.Cli -c Release -nologo -v quiet >/dev/null
exec /usr/bin/python3 bench/mqtt/run.py
