#!/bin/sh
# vendor_plugin_test.sh BUILD_DIR EXAMPLE_DIR CMAKE GENERATOR MAKE_PROGRAM CXX SANITIZED
# Installs the telemetry build into a fresh prefix, builds and installs the out-of-tree
# example plugin against that prefix alone, then runs the installed CLI, which must find
# the plugin and its probe helper relative to its own location. Last, a small program
# embeds the host through the installed TelemetryHost package.
#
# The example plugin is built without sanitizers even when the host is (SANITIZED=1), as a
# vendor would build it: an uninstrumented plugin loads into an ASan host. The embedding
# program links the instrumented static host library, so it gets the sanitizer flags.
set -eu
build=$1 example=$2 cmake=$3 generator=$4 make_program=$5 cxx=$6 sanitized=$7
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/vendor-plugin-sdk.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

fail() { echo "FAIL: $*" >&2; exit 1; }
# run LOG COMMAND...: runs COMMAND quietly, shows its output if it fails.
run() {
  log=$1; shift
  status=0
  "$@" >"$work/$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    cat "$work/$log" >&2
    fail "$* exited with $status"
  fi
}

run install.log "$cmake" --install "$build" --prefix "$prefix"
for file in bin/telemetry bin/telemetry-probe share/telemetry/telemetry.yaml \
            include/telemetry/plugin/plugin.hpp include/telemetry/c_api.h \
            include/telemetry/host.hpp include/telemetry/version.hpp lib/telemetry/plugins/jdk.so \
            lib/cmake/TelemetryPluginAPI/TelemetryPluginAPIConfigVersion.cmake; do
  [ -e "$prefix/$file" ] || fail "cmake --install did not install $file"
done
if [ -e "$build/bin/telemetry-collector" ]; then
  for file in bin/telemetry-collector share/telemetry/report.schema.json; do
    [ -e "$prefix/$file" ] || fail "cmake --install did not install $file"
  done
fi
# The files that only make sense at absolute system paths are for the packages alone.
[ ! -e "$prefix/etc" ] && [ ! -e "$prefix/lib/systemd" ] ||
  fail "cmake --install put /etc or systemd files into the prefix"

# configure_against_prefix SOURCE BUILD PACKAGE CXXFLAGS: configures SOURCE, which must
# find PACKAGE in the installed prefix and nowhere else (not the source or build tree).
configure_against_prefix() {
  run "$(basename "$2").log" "$cmake" -S "$1" -B "$2" -G "$generator" \
    -DCMAKE_MAKE_PROGRAM="$make_program" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror $4"
  found=$(sed -n "s/^$3_DIR:PATH=//p" "$2/CMakeCache.txt")
  case $found in
    "$prefix"/*) ;;
    *) fail "$3 found in '$found', not in $prefix" ;;
  esac
}

configure_against_prefix "$example" "$work/example-build" TelemetryPluginAPI ""
run build.log "$cmake" --build "$work/example-build"
# The example's own test, with the SDK's harness (GoogleTest is a test dependency here).
grep -q acme-probe-test "$work/example-build/CTestTestfile.cmake" ||
  fail "the example's test was not configured (GoogleTest not found?)"
run example-test.log "$(dirname "$cmake")/ctest" --test-dir "$work/example-build" --output-on-failure
run example-install.log "$cmake" --install "$work/example-build"  --prefix "$prefix"
plugin=$prefix/lib/telemetry/plugins/acme_license_server.so
[ -f "$plugin" ] || fail "the example plugin was not installed to $plugin"

# Hidden visibility: the descriptor aliases are exported, the probe class is not.
if command -v nm >/dev/null 2>&1; then
  symbols=$(nm -DC --defined-only "$plugin")
  echo "$symbols" | grep -q telemetry_plugin_descriptor || fail "no descriptor exported"
  echo "$symbols" | grep -q telemetry_plugin_abi || fail "no ABI version exported"
  if echo "$symbols" | grep -q AcmeProbe; then fail "AcmeProbe is exported: $symbols"; fi
fi

# No plugins.paths: the installed CLI looks beside itself, in PREFIX/lib/telemetry/plugins,
# and runs probes in PREFIX/bin/telemetry-probe.
unset TELEMETRY_PLUGIN_DIR TELEMETRY_PROBE_HELPER
cat >"$work/telemetry.yaml" <<YAML
state:
  path: $work/telemetry-state.db
  audit-log: $work/telemetry-sent.jsonl
plugins:
  isolation: process
  enabled:
    - name: acme_license_server
YAML
cd "$work"
run plugins.out "$prefix/bin/telemetry" --config "$work/telemetry.yaml" plugins
grep -E "^acme_license_server +/product/internals/acme .* yes +loaded" "$work/plugins.out" \
  >/dev/null || { cat "$work/plugins.out" >&2; fail "acme_license_server is not listed as loaded"; }

run report.out "$prefix/bin/telemetry" --config "$work/telemetry.yaml" report
kernel=$(uname -r)
tr -d ' \n' <"$work/report.out" >"$work/report.flat"
for expected in '"acme":{' '"vendor":"acme"' '"probe-version":"1.0.0"' "\"kernel-release\":\"$kernel\""; do
  grep -qF "$expected" "$work/report.flat" ||
    { cat "$work/report.out" >&2; fail "the report lacks $expected"; }
done

# The fields it documents come through the descriptor (ABI 1.2) to `telemetry explain`.
run explain.out "$prefix/bin/telemetry" --config "$work/telemetry.yaml" explain
grep -qF '"kernel-release": "'"$kernel"'",  // The running kernel'"'"'s release (uname -r).' \
  "$work/explain.out" || { cat "$work/explain.out" >&2; fail "explain lacks the acme field docs"; }

# Embedding: Telemetry::host from the installed package, the plugin found through
# plugins.paths (the program is not in PREFIX/bin), probes run in process.
sanitize_flags=
if [ "$sanitized" = 1 ]; then
  sanitize_flags="-fsanitize=address,undefined -fno-omit-frame-pointer"
fi
configure_against_prefix "$here/host_consumer" "$work/host-build" TelemetryHost "$sanitize_flags"
run host-build.log "$cmake" --build "$work/host-build"
cat >"$work/embedded.yaml" <<YAML
state:
  path: $work/embedded-state.db
  audit-log: $work/embedded-sent.jsonl
plugins:
  paths: [$prefix/lib/telemetry/plugins]
  isolation: in-process
  enabled:
    - name: acme_license_server
YAML
run embedded.out "$work/host-build/host-consumer" "$work/embedded.yaml"
tr -d ' \n' <"$work/embedded.out" | grep -qF '"acme":{"vendor":"acme"' ||
  { cat "$work/embedded.out" >&2; fail "the embedded host's report lacks the acme section"; }

echo "vendor plugin built against $prefix, loaded and reported; host embedded from $prefix"
