#!/usr/bin/env bash
# Checks the suite for flakes: runs scripts/test.sh RUNS times in a row (default 3) while two CPU hogs
# (stress-ng --cpu 2) keep both cores busy, reports each run's result and time, and fails if any run failed.
# Usage: scripts/flake-check.sh [-n RUNS] [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Receiver]
# Each run's output and TRX results: TestResults/flake-check/run-K/.
set -euo pipefail
case "${1:-}" in
  -h|--help)
    # The header above is the help; nothing is installed or started.
    sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac
cd "$(dirname "$0")/.."

runs=3
if [ "${1:-}" = "-n" ]; then
  runs=${2:-}
  shift 2 || true
fi
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
  echo "flake-check.sh: -n needs a number of runs of at least 1, e.g. scripts/flake-check.sh -n 3" >&2
  exit 2
fi

if ! command -v stress-ng >/dev/null 2>&1; then
  echo "flake-check.sh: installing stress-ng (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  sudo=(); [ "$(id -u)" -eq 0 ] || ! command -v sudo >/dev/null 2>&1 || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 || echo "flake-check.sh: apt-get update failed; trying the install with the package lists at hand"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends stress-ng >/dev/null
fi

out=TestResults/flake-check
rm -rf "$out"
mkdir -p "$out"

# The hogs run for the whole check and stop with it: on success, failure, Ctrl+C or kill. Their own timeout is a
# backstop should this script be killed outright (SIGKILL runs no trap).
hog=
stop_hogs() {
  if [ -n "$hog" ] && kill -0 "$hog" 2>/dev/null; then
    kill -TERM "$hog" 2>/dev/null || true
    wait "$hog" 2>/dev/null || true
  fi
  hog=
}
# The suite runs in the background so a signal is handled at once: test.sh is told to stop (it stops its test hosts).
suite=
stop_suite() {
  if [ -n "$suite" ] && kill -0 "$suite" 2>/dev/null; then
    kill -TERM "$suite" 2>/dev/null || true
    wait "$suite" 2>/dev/null || true
  fi
  suite=
}
trap 'stop_suite; stop_hogs' EXIT
trap 'echo; echo "flake-check.sh: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM
stress-ng --cpu 2 --timeout "$((runs * 30))m" --quiet &
hog=$!
echo "flake-check.sh: $runs runs of scripts/test.sh with stress-ng --cpu 2 (pid $hog) keeping both cores busy"

results=()
failed=0
for k in $(seq 1 "$runs"); do
  start=$SECONDS
  rc=0
  echo "── run $k/$runs ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg)) ──"
  # A hang keeps a full dump of the test host (TestResults/flake-check/run-K/.../*.dmp, about 350 MB; a mini dump
  # lacks the heap that dotnet-dump analyze needs for dumpasync).
  TEST_HANG_DUMP=${TEST_HANG_DUMP:-full} bash scripts/test.sh "$@" >"$out/run-$k.log" 2>&1 &
  suite=$!
  wait "$suite" || rc=$?
  suite=
  seconds=$((SECONDS - start))
  mkdir -p "$out/run-$k"
  [ ! -d TestResults/test.sh ] || cp -r TestResults/test.sh/. "$out/run-$k/"
  closing=$(grep '^tests: ' "$out/run-$k.log" | tail -n 1 || true)
  if [ "$rc" -eq 0 ]; then
    verdict=passed
  else
    verdict="FAILED (exit $rc)"
    failed=$((failed + 1))
    # The failing tests and test.sh's own complaints; the whole output is in the log.
    grep -E '^\s+Failed |^test\.sh: |error' "$out/run-$k.log" | head -n 40 | sed 's/^/    /' || true
  fi
  line="run $k/$runs: $verdict in ${seconds} s — ${closing:-no closing line (see $out/run-$k.log)}"
  echo "$line"
  results+=("$line")
done
stop_hogs

echo "── flake check: $((runs - failed)) of $runs runs passed under stress-ng --cpu 2 ──"
printf '%s\n' "${results[@]}"
[ "$failed" -eq 0 ]
