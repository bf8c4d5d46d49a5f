#!/usr/bin/env bash
# Runs every Espwire test. Installs what the tests need when it is missing, then builds and tests the solution.
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Receiver]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: socat and pyserial (/usr/bin/python3) as peers, procps for ps.
need_pkgs=()
command -v socat >/dev/null 2>&1 || need_pkgs+=(socat)
command -v mosquitto >/dev/null 2>&1 || need_pkgs+=(mosquitto)
command -v g++ >/dev/null 2>&1 || need_pkgs+=(g++)
command -v xtensa-lx106-elf-g++ >/dev/null 2>&1 || need_pkgs+=(gcc-xtensa-lx106)
/usr/bin/python3 -c 'import serial' >/dev/null 2>&1 || need_pkgs+=(python3-serial)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_pkgs[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Espwire.slnx -c Release -nologo -v quiet
log=$(mktemp)
set +e
dotnet test Espwire.slnx -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# One closing line for every runner that reads it: "tests: N passed, N failed, N skipped".
awk '
  /(Passed|Failed)!  *-/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:")  { f += $(i+1) + 0 }
      if ($i == "Passed:")  { p += $(i+1) + 0 }
      if ($i == "Skipped:") { s += $(i+1) + 0 }
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
rm -f "$log"
exit "$rc"
