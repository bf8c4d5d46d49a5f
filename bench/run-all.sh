#!/usr/bin/env bash
# Runs every Espwire benchmark (loopback only, bounded) and assembles BENCHMARKS.md from their RESULTS.md files.
# Each part can also run alone: see the command at the top of its bench/<part>/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/receiver/run.sh
dotnet run -c Release --project bench/emulator
dotnet run -c Release --project bench/at
dotnet run -c Release --project bench/flasher
dotnet run -c Release --project bench/web
bash bench/mqtt/run.sh
dotnet run -c Release --project bench/ota
bash bench/firmware/run.sh > bench/firmware/last-run.txt && cat bench/firmware/last-run.txt
bash bench/assemble.sh
