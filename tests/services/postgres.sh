#!/usr/bin/env bash
# A throw-away PostgreSQL server for tests: postgres.sh start DIR | stop DIR.
# start writes DIR/url: postgresql://telemetry:PASSWORD@127.0.0.1:PORT/telemetry
# postgres.sh replica DIR PRIMARY_URL: a streaming hot standby of the server at PRIMARY_URL
# (one started here), in DIR like a server of its own (stop DIR stops it); DIR/url names
# it with the primary's user and password.
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

replica() {
  local state="$1" primary="$2" bin user data password primary_port port
  bin="$(pg_bindir)"
  user="$(service_user postgres)"
  data="$(new_data_dir "$state" "$user")"
  cd "$data"
  password="$(sed -E 's|^postgresql://telemetry:([^@]*)@.*$|\1|' <<<"$primary")"
  primary_port="$(sed -E 's|^.*@127\.0\.0\.1:([0-9]+)/.*$|\1|' <<<"$primary")"
  # -R: standby.signal and primary_conninfo (with the password given here) for streaming.
  run_as "$user" env PGPASSWORD="$password" "$bin/pg_basebackup" -h 127.0.0.1 \
    -p "$primary_port" -U telemetry -D "$data/pgdata" -R -X stream -c fast --no-sync \
    >"$data/basebackup.log" 2>&1 || { cat "$data/basebackup.log" >&2; return 1; }
  port="$(free_port)"
  run_as "$user" "$bin/pg_ctl" -D "$data/pgdata" -l "$data/server.log" -w -s \
    -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off" start ||
    { cat "$data/server.log" >&2; return 1; }
  head -1 "$data/pgdata/postmaster.pid" >"$state/pid"
  wait_ready postgres "$(cat "$state/pid")" "$data/server.log" \
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"
  echo "postgresql://telemetry:$password@127.0.0.1:$port/telemetry" >"$state/url"
  echo "postgres: replica ready on 127.0.0.1:$port (data in $data)"
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

[[ $# -eq 2 || ( $# -eq 3 && "$1" == replica ) ]] || usage_and_exit
mkdir -p "$2"
state="$(cd "$2" && pwd)"
case "$1" in
  start) stop "$state"; start "$state" ;;
  replica) stop "$state"; replica "$state" "$3" ;;
  stop) stop "$state" ;;
  *) usage_and_exit ;;
esac
