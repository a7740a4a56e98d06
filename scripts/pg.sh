#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from the system's server binaries, for tests and local use.
#
#   scripts/pg.sh start DIR   start a cluster in DIR (initdb on first use); prints its URL
#   scripts/pg.sh stop DIR    stop it (and leave the files)
#   scripts/pg.sh url DIR     print the URL of a running cluster
#   scripts/pg.sh run DIR -- CMD...   run CMD with DATABASE_URL set; when DATABASE_URL is
#                             already set it is used as is, otherwise a cluster is started in
#                             DIR and stopped when CMD ends, whatever its exit status.
#
# initdb and postgres refuse to run as root, so as root they run as the `postgres` user.
# The server listens on 127.0.0.1 on a free port and on a socket inside DIR; auth is `trust`,
# which is fine for a cluster that lives only on loopback for the length of a run.
set -euo pipefail

find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir)
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  fi
  echo "pg.sh: no PostgreSQL server binaries (initdb) found; install postgresql-15 (apt-get install postgresql-15) or set PG_BINDIR" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  local port
  for port in $(seq 54329 54499); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "pg.sh: no free port in 54329-54499" >&2; exit 1
}

url_of() { echo "postgres://postgres@127.0.0.1:$(cat "$1/port")/postgres"; }

start() {
  local dir=$1 bindir port
  bindir=$(find_bindir)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
  # Parallel test processes may all ask for the cluster at once: one starts it.
  exec 9>"$dir/.lock"
  flock 9
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  if [ -f "$dir/port" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    url_of "$dir"; return
  fi
  port=$(free_port)
  # Settings for a throwaway cluster: durability is not wanted, speed is.
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null 9>&- \
    || { cat "$dir/server.log" >&2; exit 1; }
  echo "$port" >"$dir/port"
  url_of "$dir"
}

stop() {
  local dir=$1 bindir
  [ -d "$dir/data" ] || return 0
  bindir=$(find_bindir)
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -f "$dir/port"
}

cmd=${1:-}; shift || true
case "$cmd" in
  start) start "$1" ;;
  stop) stop "$1" ;;
  url) [ -f "$1/port" ] && url_of "$1" || { echo "pg.sh: no cluster running in $1" >&2; exit 1; } ;;
  run)
    dir=$1; shift; [ "${1:-}" = "--" ] && shift
    if [ -n "${DATABASE_URL:-}" ]; then exec "$@"; fi
    trap 'stop "$dir"' EXIT INT TERM
    DATABASE_URL=$(start "$dir"); export DATABASE_URL
    "$@"
    ;;
  *) echo "usage: scripts/pg.sh start|stop|url DIR | run DIR -- CMD..." >&2; exit 2 ;;
esac
