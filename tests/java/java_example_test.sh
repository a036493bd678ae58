#!/bin/sh
# java_example_test.sh BUILD_DIR EXAMPLE_DIR CMAKE JAVAC JAVA JNA_JAR VERSION
# Installs the build into a fresh prefix, compiles examples/java-embedding against the jar
# installed there (share/java) and runs it with no environment variable pointing anywhere:
# the jar must find the prefix's libtelemetry-c.so.1, the host its telemetry-probe.
# Needs the whole build (`all`): cmake --install fails on any file not built yet.
set -eu
build=$1 example=$2 cmake=$3 javac=$4 java=$5 jna=$6 version=$7

work=$(mktemp -d "${TMPDIR:-/tmp}/java-embedding.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "FAIL: $*" >&2; exit 1; }

status=0
"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 || status=$?
[ "$status" -eq 0 ] || { cat "$work/install.log" >&2; fail "cmake --install exited with $status"; }
jar=$prefix/share/java/telemetry-$version.jar
[ -f "$jar" ] || fail "cmake --install did not install share/java/telemetry-$version.jar"
[ -L "$prefix/share/java/telemetry.jar" ] || fail "no share/java/telemetry.jar link"

# As the example's README says: compiled against the installed jar alone.
"$javac" -Xlint:all,-path -Werror -cp "$prefix/share/java/telemetry.jar" -d "$work/classes" \
  "$example/src/example/EmbeddingExample.java" || fail "the example does not compile"

cat >"$work/telemetry.yaml" <<YAML
telemetry:
  reporter-activate: false
  initialize: true
plugins:
  paths: [$prefix/lib/telemetry/plugins]
  enabled:
    - name: jdk
      settings: { java-home: $(dirname "$(dirname "$(readlink -f "$java")")") }
state:
  path: $work/state.db
YAML
env -u TELEMETRY_PROBE_HELPER -u TELEMETRY_CONFIG \
  "$java" -cp "$work/classes:$prefix/share/java/telemetry.jar:$jna" example.EmbeddingExample \
  "$work/telemetry.yaml" >"$work/report.json" 2>"$work/stderr.log" || status=$?
[ "$status" -eq 0 ] || { cat "$work/stderr.log" >&2; fail "the example exited with $status"; }

python3 - "$work/report.json" "$work/stderr.log" <<'PY' || exit 1
import json, sys
internals = json.load(open(sys.argv[1]))["product"]["internals"]
log = open(sys.argv[2]).read()
assert internals["commands"]["StartProcessInstanceCmd"]["count"] == 4000, internals
assert internals["metrics"]["activity-instance-start"]["count"] == 8000, internals
assert "jdk" in internals, "no jdk section (probe helper not found?):\n" + log
PY
echo "the example compiled against $jar and reported through the installed library"
