# Functions shared by the test service scripts (sourced, not run): where a server's files
# live, which user runs it, free ports and readiness waits.
# State of one service lives in DIR (given by ctest): url, pid, and `data`, the path of a
# private temporary directory that holds the server's data, sockets and log.

set -euo pipefail

# PostgreSQL and MariaDB refuse to run as root, so root hands them to their system user.
service_user() {
  if [[ $(id -u) -eq 0 ]]; then echo "$1"; else id -un; fi
}

run_as() {
  local user="$1"
  shift
  if [[ $(id -u) -eq 0 && "$user" != root ]]; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

# A port the kernel has just handed out on loopback; tiny race, but no fixed port to clash.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A random password per run, so a test that finds it in an error message proves a leak.
random_password() {
  python3 -c 'import secrets; print("pw" + secrets.token_hex(12))'
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The temporary data directory, created fresh and owned by the user that runs the server.
new_data_dir() {
  local state="$1" user="$2" data
  data="$(mktemp -d "${TMPDIR:-/tmp}/telemetry-test-$(basename "$state").XXXXXX")"
  chmod 0755 "$data"
  [[ $(id -u) -eq 0 ]] && chown "$user:" "$data"
  echo "$data" >"$state/data"
  echo "$data"
}

# Waits until `check` succeeds; gives up early when the server process has died, and after
# a generous bound so a wedged server fails the fixture instead of hanging ctest.
wait_ready() {
  local name="$1" pid="$2" log="$3"
  shift 3
  local tries=0
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
      echo "$name: server exited during start-up; its log:" >&2
      cat "$log" >&2 || true
      return 1
    fi
    if ((++tries > 1200)); then
      echo "$name: not ready after 120 s; its log:" >&2
      cat "$log" >&2 || true
      return 1
    fi
    sleep 0.1
  done
}

# Stops the process in DIR/pid (TERM, then KILL) and removes the data directory.
stop_pid_and_clean() {
  local state="$1" pid data
  if [[ -f "$state/pid" ]]; then
    pid="$(cat "$state/pid")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  remove_data "$state"
}

remove_data() {
  local state="$1" data
  if [[ -f "$state/data" ]]; then
    data="$(cat "$state/data")"
    case "$data" in "${TMPDIR:-/tmp}"/telemetry-test-*) rm -rf "$data" ;; esac
  fi
  rm -f "$state/url" "$state/pid" "$state/data"
}

usage_and_exit() {
  echo "usage: $(basename "$0") start|stop DIR" >&2
  exit 2
}
