#!/usr/bin/env bash
# A throw-away MariaDB server for tests: mariadb.sh start DIR | stop DIR.
# start writes DIR/url: mysql://telemetry:PASSWORD@127.0.0.1:PORT/telemetry
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

start() {
  local state="$1" user data password port
  for tool in mariadb-install-db mariadbd mariadb-admin mariadb; do
    command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] ||
      { echo "mariadb: $tool not found (mariadb-server, mariadb-client)" >&2; return 1; }
  done
  user="$(service_user mysql)"
  data="$(new_data_dir "$state" "$user")"
  cd "$data"
  # root gets a normal (empty) password instead of unix_socket auth, so the set-up below
  # works whichever OS user runs it; the socket is private to the data directory.
  run_as "$user" mariadb-install-db --no-defaults --datadir="$data/db" --user="$user" \
    --auth-root-authentication-method=normal --skip-test-db >"$data/install.log" 2>&1 ||
    { cat "$data/install.log" >&2; return 1; }
  port="$(free_port)"
  run_as "$user" setsid "$(command -v mariadbd || echo /usr/sbin/mariadbd)" --no-defaults \
    --datadir="$data/db" --socket="$data/mysqld.sock" --pid-file="$data/mysqld.pid" \
    --port="$port" --bind-address=127.0.0.1 --log-error="$data/server.log" \
    --skip-name-resolve --innodb-buffer-pool-size=32M --user="$user" \
    </dev/null >/dev/null 2>&1 &
  echo $! >"$state/pid"
  wait_ready mariadb "$(cat "$state/pid")" "$data/server.log" \
    mariadb-admin --no-defaults --socket="$data/mysqld.sock" -uroot ping
  cp "$data/mysqld.pid" "$state/pid"
  password="$(random_password)"
  mariadb --no-defaults --socket="$data/mysqld.sock" -uroot <<SQL
CREATE DATABASE telemetry;
CREATE USER 'telemetry'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER 'telemetry'@'localhost' IDENTIFIED BY '$password';
GRANT ALL ON telemetry.* TO 'telemetry'@'127.0.0.1';
GRANT ALL ON telemetry.* TO 'telemetry'@'localhost';
SQL
  echo "mysql://telemetry:$password@127.0.0.1:$port/telemetry" >"$state/url"
  echo "mariadb: ready on 127.0.0.1:$port (data in $data)"
}

stop() {
  local state="$1" data
  if [[ -f "$state/data" ]]; then
    data="$(cat "$state/data")"
    if [[ -S "$data/mysqld.sock" ]]; then
      mariadb-admin --no-defaults --socket="$data/mysqld.sock" -uroot shutdown 2>/dev/null || true
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
