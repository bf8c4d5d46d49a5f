#!/usr/bin/env bash
# Runs every Espwire test. Installs what the tests need when it is missing, then builds the solution in Release and
# runs each test project under tests/ (two at a time; TEST_JOBS=1 for one), checking that each ran every test it holds.
# Usage: scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Receiver]
# Results: TestResults/test.sh/<project>.trx and .log. Last line: "tests: N passed, N failed, N skipped".
# A test that runs longer than TEST_HANG_TIMEOUT (default 10m) stops its project; TEST_HANG_DUMP=full (mini lacks the heap) keeps
# a dump of the hung test host next to the results, for dotnet-dump analyze (dumpasync shows the stuck awaits).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use: socat and pyserial (/usr/bin/python3) as peers, mosquitto as a broker, procps for ps and kill.
# One line per package: the command (or module) the tests need, and the package that brings it.
need_pkgs=()
command -v socat >/dev/null 2>&1 || need_pkgs+=(socat)
command -v mosquitto >/dev/null 2>&1 || need_pkgs+=(mosquitto)
command -v mosquitto_pub >/dev/null 2>&1 || need_pkgs+=(mosquitto-clients) # bench/mqtt's peer
command -v openssl >/dev/null 2>&1 || need_pkgs+=(openssl) # the mqtts:// tests make a CA and a broker certificate
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
command -v ps >/dev/null 2>&1 || need_pkgs+=(procps)
command -v g++ >/dev/null 2>&1 || need_pkgs+=(g++)
command -v xtensa-lx106-elf-g++ >/dev/null 2>&1 || need_pkgs+=(gcc-xtensa-lx106)
/usr/bin/python3 -c 'import serial' >/dev/null 2>&1 || need_pkgs+=(python3-serial)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_pkgs[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  sudo=(); [ "$(id -u)" -eq 0 ] || ! command -v sudo >/dev/null 2>&1 || sudo=(sudo)
  # Only when something is missing; a failed update (offline mirror, stale list) may still leave the install able to work.
  "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 || echo "test.sh: apt-get update failed; trying the install with the package lists at hand"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Espwire.slnx -c Release -nologo -v quiet

# Every test project under tests/, not just those in the solution: one left out of Espwire.slnx is not built and
# then fails loudly below instead of being skipped in silence.
mapfile -t projects < <(find tests -name '*.Tests.csproj' | sort)
if [ ${#projects[@]} -eq 0 ]; then
  echo "test.sh: no test projects under tests/" >&2
  exit 1
fi
results=TestResults/test.sh
rm -rf "$results"
mkdir -p "$results"

# A filter chooses a subset, so a project may rightly run fewer tests than it holds (or none).
filtered=0
for arg in "$@"; do
  case "$arg" in --filter|--filter=*) filtered=1 ;; esac
done

# How many tests a project holds: the test cases discovery lists (--list-tests; one per inline-data row of a theory).
# Checked against the TRX counters of the run itself, not its console text:
#   - executed >= held: every listed case ran. ">=" because xunit lists a theory whose data it cannot serialize as
#     one case but reports one result per row; a crashed or aborted test host reports fewer results than listed.
#   - executed > 0: a project that discovers nothing (wrong adapter, broken build output) tests nothing.
#   - skipped (notExecuted) == 0: the house rules allow no skipped tests.
# With --filter only the last two apply, to the run as a whole.
run_project() {
  local project=$1 name=$2
  shift 2
  local start=$SECONDS rc=0
  {
    dotnet test "$project" -c Release --no-build -nologo --list-tests 2>&1 |
      sed -n '/The following Tests are available:/,$p' | grep -c '^    ' || true
  } >"$results/$name.held"
  # env --default-signal=INT: started as a background job (as here, or scripts/flake-check.sh starting this script),
  # a shell passes SIGINT on as ignored, and the tests that press Ctrl+C on an espwire child would wait in vain.
  env --default-signal=INT dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout "${TEST_HANG_TIMEOUT:-10m}" --blame-hang-dump-type "${TEST_HANG_DUMP:-none}" \
    "$@" >"$results/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$results/$name.rc"
  echo $((SECONDS - start)) >"$results/$name.seconds"
}

# Two projects at a time keep both cores busy without the output interleaving: each project's console output is
# kept in its log and printed whole when it ends.
jobs_max=${TEST_JOBS:-2}
declare -A running=()
# Background jobs of a script ignore SIGINT, so Ctrl+C (or a SIGTERM from CI) would leave the test hosts running:
# stop each job's process tree, deepest first, then exit.
stop_tree() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do stop_tree "$child"; done
  kill -TERM "$1" 2>/dev/null || true
}
interrupted() {
  trap - INT TERM
  echo "test.sh: interrupted; stopping the test runs" >&2
  local pid
  for pid in "${!running[@]}"; do stop_tree "$pid"; done
  wait 2>/dev/null || true
  exit 130
}
trap interrupted INT TERM
print_finished() {
  local pid=$1 name=${running[$1]}
  unset "running[$pid]"
  echo "── $name ($(cat "$results/$name.seconds") s, dotnet test exit $(cat "$results/$name.rc")) ──"
  sed -e '/^$/d' -e "/^Data collector 'Blame' message: All tests finished running/d" "$results/$name.log"
}
suite_start=$SECONDS
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  while [ ${#running[@]} -ge "$jobs_max" ]; do
    wait -n -p finished "${!running[@]}" || true
    print_finished "$finished"
  done
  run_project "$project" "$name" "$@" &
  running[$!]=$name
done
while [ ${#running[@]} -gt 0 ]; do
  wait -n -p finished "${!running[@]}" || true
  print_finished "$finished"
done

echo "── counts from the TRX results ($((SECONDS - suite_start)) s for the test runs) ──"
printf '%-28s %6s %6s %6s %6s %7s\n' project held ran passed failed skipped
passed=0 failed=0 skipped=0 executed_all=0 rc=0
problems=()
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  held=$(cat "$results/$name.held")
  [ "$(cat "$results/$name.rc")" -eq 0 ] || { rc=1; problems+=("$name: dotnet test exited $(cat "$results/$name.rc")"); }
  if counts=$(/usr/bin/python3 scripts/trx-counters.py "$results/$name.trx" 2>&1); then
    read -r total executed p f s <<<"$counts"
  elif [ $filtered -eq 1 ] && [ ! -e "$results/$name.trx" ]; then
    total=0 executed=0 p=0 f=0 s=0 # Nothing matched the filter here.
  else
    total=0 executed=0 p=0 f=0 s=0
    problems+=("$name: $counts")
  fi
  printf '%-28s %6s %6s %6s %6s %7s\n' "$name" "$held" "$executed" "$p" "$f" "$s"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s)) executed_all=$((executed_all + executed))
  [ "$s" -eq 0 ] || problems+=("$name: $s tests skipped (not executed)")
  if [ $filtered -eq 0 ]; then
    if [ "$executed" -eq 0 ]; then
      problems+=("$name: ran no tests (holds $held)")
      [ "$held" -gt 0 ] && failed=$((failed + held))
    elif [ "$executed" -lt "$held" ]; then
      # The tests that never ran count as failed, so a reader of the closing line alone is not misled.
      problems+=("$name: ran $executed of the $held tests it holds")
      failed=$((failed + held - executed))
    fi
  fi
done
[ $filtered -eq 0 ] || [ "$executed_all" -gt 0 ] || problems+=("the filter matched no test in any project")
if [ ${#problems[@]} -gt 0 ]; then
  rc=1
  printf 'test.sh: %s\n' "${problems[@]}" >&2
fi
[ "$failed" -eq 0 ] || rc=1
# One closing line for every runner that reads it (CI reads "N passed, N failed").
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
