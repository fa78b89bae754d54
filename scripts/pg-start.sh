#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the test suite and prints its
# connection string. Usage: scripts/pg-start.sh DIR [FIRST-PORT]: the first free port from
# FIRST-PORT (default 55432) on is used. Stop it with pg_ctl -D DIR/data stop
# (scripts/test.sh does this on exit).
set -euo pipefail
dir=$1
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-start: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
run=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root; the Debian package creates the postgres user.
  run=(runuser -u postgres --)
fi
rm -rf "$dir"
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
"${run[@]}" "$bin/initdb" -D "$dir/data" -U threatledger --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
for attempt in $(seq 1 50); do
  # Skip ports something already listens on; a port taken between the check and the start fails
  # pg_ctl, and the next port is tried.
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    if "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" start >/dev/null; then
      echo "Host=127.0.0.1;Port=$port;Username=threatledger;Database=postgres"
      exit 0
    fi
  fi
  port=$((port + 1))
done
cat "$dir/server.log" >&2
exit 1
