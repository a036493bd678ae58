#!/usr/bin/env bash
# The Debian packages install and work: builds them with cpack from BUILD_DIR, installs
# them with dpkg -i, and checks the installed CLI, plugins, configuration, service users and
# units, that the collector starts as its user from the packaged configuration, and that
# purging removes the packages. Changes the system, so it runs only as root in CI (or with
# TELEMETRY_TEST_DEB=1); anywhere else it is skipped (exit 77), and in CI without root it fails.
# Usage: deb_packages_test.sh BUILD_DIR CPACK_COMMAND
set -uo pipefail
build="$1" cpack="$2"
source "${BASH_SOURCE[0]%/*}/../support/skip_or_fail_in_ci.sh"
if [[ "${CI:-}" != "true" && "${TELEMETRY_TEST_DEB:-}" != "1" ]]; then
  echo "skipped: installs packages system-wide; runs as root in CI or with TELEMETRY_TEST_DEB=1"
  exit 77
fi
if [[ $(id -u) -ne 0 ]]; then
  skip_or_fail_in_ci "installing packages system-wide needs root"
fi
for package in telemetry telemetry-dev telemetry-collector; do
  if dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -q installed; then
    echo "FAIL: $package is already installed; this test would replace it"
    exit 1
  fi
done

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
work="$(mktemp -d)"
collector_pid=""
cleanup() {
  [[ -n $collector_pid ]] && kill "$collector_pid" 2>/dev/null
  dpkg --purge telemetry-dev telemetry-collector telemetry >"$work/purge.log" 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

rm -rf "$build/packages"
if ! (cd "$build" && "$cpack" -G DEB) >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL: cpack -G DEB"
  exit 1
fi
mapfile -t debs < <(find "$build/packages" -maxdepth 1 -name '*.deb' | sort)
echo "built: ${debs[*]##*/}"
[[ ${#debs[@]} -eq 3 ]] || fail "expected 3 packages, got ${#debs[@]}"

if ! dpkg -i "${debs[@]}" >"$work/dpkg.log" 2>&1; then
  cat "$work/dpkg.log"
  echo "FAIL: dpkg -i"
  exit 1
fi

# check DESCRIPTION COMMAND...: COMMAND must succeed.
check() {
  local what="$1"
  shift
  if "$@" >"$work/out" 2>&1; then
    echo "ok:   $what"
  else
    fail "$what: $* -> $(cat "$work/out")"
  fi
}
check "telemetry --version" /usr/bin/telemetry --version
grep -q "^telemetry " "$work/out" || fail "telemetry --version printed: $(cat "$work/out")"
check "the configuration is a dpkg conffile" \
  grep -qx /etc/telemetry/telemetry.yaml /var/lib/dpkg/info/telemetry.conffiles
check "user telemetry exists" getent passwd telemetry
check "user telemetry-collector exists" getent passwd telemetry-collector
check "/var/lib/telemetry belongs to telemetry" \
  test "$(stat -c %U:%a /var/lib/telemetry)" = telemetry:700

# `telemetry plugins` reads /etc/telemetry/telemetry.yaml by default (run from a directory
# without a telemetry.yaml) and loads the packaged plugins from /usr/lib/telemetry/plugins.
cd /
check "telemetry plugins as the service user" runuser -u telemetry -- /usr/bin/telemetry plugins
cp "$work/out" "$work/plugins.out"
for plugin in jdk h2 tomcat webapps license; do
  grep -qE "^$plugin +.* loaded" "$work/plugins.out" || fail "plugin $plugin is not loaded"
done
grep -q "/usr/lib/telemetry/plugins" "$work/plugins.out" ||
  fail "plugins not from /usr/lib/telemetry/plugins: $(cat "$work/plugins.out")"
check "telemetry status as the service user" runuser -u telemetry -- /usr/bin/telemetry status
check "status, a read-only command, created no state store" \
  test ! -e /var/lib/telemetry/telemetry-state.db
check "telemetry usage as the service user" \
  runuser -u telemetry -- /usr/bin/telemetry usage command PackageTestCmd 1
check "the state store is in /var/lib/telemetry" test -f /var/lib/telemetry/telemetry-state.db
check "the state store is private (0600)" \
  test "$(stat -c %a /var/lib/telemetry/telemetry-state.db)" = 600
check "telemetry report as the service user" runuser -u telemetry -- /usr/bin/telemetry report
grep -q '"installation"' "$work/out" || fail "telemetry report printed no report"

check "telemetry-idle beside telemetry (hibernation)" test -x /usr/bin/telemetry-idle
check "bash completion installed" test -f /usr/share/bash-completion/completions/telemetry
# installed FILE: the package holds FILE under /usr/lib or /usr/lib/<multiarch>.
installed() { compgen -G "/usr/lib/$1" >/dev/null || compgen -G "/usr/lib/*/$1" >/dev/null; }
check "C API library installed" installed libtelemetry-c.so.1
check "C API development link installed" installed libtelemetry-c.so
check "plugin SDK installed" installed cmake/TelemetryPluginAPI/TelemetryPluginAPIConfig.cmake
check "host SDK installed" installed cmake/TelemetryHost/TelemetryHostConfig.cmake
check "C API header installed" test -f /usr/include/telemetry/c_api.h
check "Java binding installed" test -L /usr/share/java/telemetry.jar -a -f /usr/share/java/telemetry.jar
for unit in telemetry telemetry-collector; do
  check "systemd-analyze verify $unit.service" systemd-analyze verify /lib/systemd/system/$unit.service
  [[ -s $work/out ]] && fail "systemd-analyze verify $unit.service: $(cat "$work/out")"
done

# The collector starts from the packaged configuration as its user and accepts HTTPS.
check "collector certificate made by postinst" test -f /etc/telemetry/collector-tls.pem
runuser -u telemetry-collector -- /usr/bin/telemetry-collector --config /etc/telemetry/collector.yaml \
  >"$work/collector.log" 2>&1 &
collector_pid=$!
answered=""
for _ in $(seq 1 100); do
  if curl -sk -o /dev/null -w '%{http_code}' https://127.0.0.1:8443/healthz 2>/dev/null | grep -q 200; then
    answered=yes
    break
  fi
  kill -0 "$collector_pid" 2>/dev/null || break
  sleep 0.1
done
[[ -n $answered ]] || fail "the packaged collector did not answer on 127.0.0.1:8443: $(cat "$work/collector.log")"
kill "$collector_pid" && wait "$collector_pid"
collector_pid=""
check "the collector's store is in /var/lib/telemetry-collector" \
  test -f /var/lib/telemetry-collector/collector.db

dpkg --purge telemetry-dev telemetry-collector telemetry >"$work/purge.log" 2>&1 ||
  fail "dpkg --purge: $(cat "$work/purge.log")"
[[ -e /var/lib/telemetry || -e /usr/bin/telemetry ]] && fail "purge left files behind"
exit $((failures > 0))
