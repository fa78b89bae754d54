#!/usr/bin/env bash
# Runs every ThreatLedger test on a fresh machine: installs what the tests need, builds,
# runs the whole suite, and ends with one plain line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

# System packages the suite needs (apt-get update first, as root): PostgreSQL for the store's
# conformance suite against a real server. Later issues add chromium and fonts-noto-cjk here.
APT_PACKAGES=(postgresql)
if [ ${#APT_PACKAGES[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${APT_PACKAGES[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${APT_PACKAGES[@]}" >/dev/null
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=$(mktemp -d)
pgdir=$(mktemp -d)
stop_pg() {
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -f "$pgdir/data/postmaster.pid" ] && [ -n "$bin" ]; then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1
    else "$bin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1; fi
  fi
  rm -rf "$pgdir"
}
trap 'rm -rf "$results"; stop_pg' EXIT

# A throwaway PostgreSQL cluster on a free loopback port; the Postgres tests use it through
# THREATLEDGER_TEST_PG (and skip, saying so, when it could not start).
if pg=$(scripts/pg-start.sh "$pgdir" 55432); then
  export THREATLEDGER_TEST_PG="$pg"
  echo "PostgreSQL test server: $pg"
elif [ "${CI:-}" = true ]; then
  # In CI the PostgreSQL suite must run: a server that cannot start is a failure, not a skip.
  echo "PostgreSQL could not be started (see above); the PostgreSQL tests cannot run"
  echo "0 passed, 1 failed"
  exit 1
else
  echo "warning: PostgreSQL could not be started; the PostgreSQL tests will be skipped" >&2
fi

if ! dotnet build ThreatLedger.slnx -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test ThreatLedger.slnx -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  total=$(get total); executed=$(get executed); p=$(get passed); f=$(get failed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # dotnet test failed without a failing test (a crash or a missing result file): count it.
  failed=1
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
