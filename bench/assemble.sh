#!/usr/bin/env bash
# Writes BENCHMARKS.md from the per-part results (bench/*/RESULTS.md), each part's headings moved one level down.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo "# Espwire benchmarks"
  echo
  echo "Every figure is measured, never asserted in a test: each part's benchmark runs Espwire and its peer in the same"
  echo "run, on loopback only, and writes its bench/<part>/RESULTS.md. Run them all with \`bash bench/run-all.sh\`."
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(. /etc/os-release; echo "$PRETTY_NAME"), .NET $(dotnet --list-runtimes | awk '/NETCore/ {v=$2} END {print v}'). The machine was shared with other work while these ran; see each part for its load."
  for part in receiver emulator at flasher web mqtt ota firmware; do
    f="bench/$part/RESULTS.md"
    [ -f "$f" ] || continue
    echo
    sed -e 's/^#/##/' "$f"
  done
} > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
