#!/usr/bin/env bash
# A throw-away H2 server speaking the PostgreSQL protocol: h2.sh start DIR | stop DIR.
# start writes DIR/url: postgresql://sa:PASSWORD@127.0.0.1:PORT/telemetry
# The database is created by the first connection (-ifNotExists) with that user/password.
source "$(dirname "${BASH_SOURCE[0]}")/service.sh"

h2_jar() {
  local jar="${H2_JAR:-/usr/share/java/h2.jar}"
  [[ -f "$jar" ]] || { echo "h2: $jar not found (libh2-java)" >&2; exit 1; }
  echo "$jar"
}

start() {
  local state="$1" jar data port password
  jar="$(h2_jar)"
  command -v java >/dev/null || { echo "h2: java not found (openjdk-17-jre-headless)" >&2; return 1; }
  data="$(new_data_dir "$state" "$(id -un)")"
  cd "$data"
  port="$(free_port)"
  setsid java -cp "$jar" org.h2.tools.Server -pg -pgPort "$port" -baseDir "$data" \
    -ifNotExists </dev/null >"$data/server.log" 2>&1 &
  echo $! >"$state/pid"
  wait_ready h2 "$(cat "$state/pid")" "$data/server.log" port_open "$port"
  password="$(random_password)"
  echo "postgresql://sa:$password@127.0.0.1:$port/telemetry" >"$state/url"
  echo "h2: ready on 127.0.0.1:$port (data in $data)"
}

stop() { stop_pid_and_clean "$1"; }

[[ $# -eq 2 ]] || usage_and_exit
mkdir -p "$2"
state="$(cd "$2" && pwd)"
case "$1" in
  start) stop "$state"; start "$state" ;;
  stop) stop "$state" ;;
  *) usage_and_exit ;;
esac
