#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests: postgres.sh start DIR | stop DIR.
# start writes DIR/url: postgresql://telemetry:PASSWORD@127.0.0.1:PORT/telemetry
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

pg_bindir() {
  if [[ -n "${PG_BINDIR:-}" ]]; then echo "$PG_BINDIR"; return; fi
  if [[ -x /usr/lib/postgresql/15/bin/postgres ]]; then echo /usr/lib/postgresql/15/bin; return; fi
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [[ -n "$newest" ]] || { echo "postgres: no PostgreSQL server installed (postgresql-15)" >&2; exit 1; }
  echo "$newest"
}

start() {
  local state="$1" bin user data password port fsync="${TELEMETRY_POSTGRES_FSYNC:-off}"
  # Tests need no durability across a crash of the machine; benchmarks that compare with
  # SQLite's synced commits do (scripts/bench sets it on).
  [[ "$fsync" == on || "$fsync" == off ]] ||
    { echo "postgres: TELEMETRY_POSTGRES_FSYNC must be on or off" >&2; return 2; }
  bin="$(pg_bindir)"
  user="$(service_user postgres)"
  data="$(new_data_dir "$state" "$user")"
  cd "$data"
  password="$(random_password)"
  printf '%s\n' "$password" >"$data/pwfile"
  chmod 0600 "$data/pwfile"
  [[ $(id -u) -eq 0 ]] && chown "$user:" "$data/pwfile"
  run_as "$user" "$bin/initdb" -D "$data/pgdata" -U telemetry --pwfile="$data/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync >"$data/initdb.log" 2>&1 ||
    { cat "$data/initdb.log" >&2; return 1; }
  rm -f "$data/pwfile"
  port="$(free_port)"
  run_as "$user" "$bin/pg_ctl" -D "$data/pgdata" -l "$data/server.log" -w -s \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=$fsync" start ||
    { cat "$data/server.log" >&2; return 1; }
  head -1 "$data/pgdata/postmaster.pid" >"$state/pid"
  wait_ready postgres "$(cat "$state/pid")" "$data/server.log" \
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"
  run_as "$user" "$bin/createdb" -h "$data" -p "$port" -U telemetry telemetry
  echo "postgresql://telemetry:$password@127.0.0.1:$port/telemetry" >"$state/url"
  echo "postgres: ready on 127.0.0.1:$port (data in $data)"
}

stop() {
  local state="$1" data
  if [[ -f "$state/data" ]]; then
    data="$(cat "$state/data")"
    if [[ -f "$data/pgdata/postmaster.pid" ]]; then
      cd "$data"
      run_as "$(service_user postgres)" "$(pg_bindir)/pg_ctl" -D "$data/pgdata" -m fast -w -s stop ||
        true
    fi
  fi
  stop_pid_and_clean "$state"
}

[[ $# -eq 2 ]] || usage_and_exit
mkdir -p "$2"
state="$(cd "$2" && pwd)"
case "$1" in
  start) stop "$state"; start "$state" ;;
  stop) stop "$state" ;;
  *) usage_and_exit ;;
esac
