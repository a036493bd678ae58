#!/usr/bin/env bash
# telemetry-idle, the image `telemetry run` hibernates in: it runs the program given at the
# deadline, runs it at once with TELEMETRY_RESUME_SIGNAL on SIGTERM or SIGINT, and refuses
# a bad command line. Usage: telemetry_idle_test.sh TELEMETRY_IDLE
set -uo pipefail
idle="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
report='echo "signal=${TELEMETRY_RESUME_SIGNAL-unset} args=$*"'

out="$("$idle" $(($(now_ms) - 1000)) -- /bin/sh -c "$report" sh a b)"
[[ $out == "signal=unset args=a b" ]] || fail "a past deadline: '$out'"

start=$(now_ms)
out="$("$idle" $(($(now_ms) + 300)) -- /bin/sh -c "$report" sh)"
[[ $out == "signal=unset args=" ]] || fail "a near deadline: '$out'"
(($(now_ms) - start >= 300)) || fail "ran the program before the deadline"

# True once process $1 is telemetry-idle (bash's forked child blocks these signals too, until
# it execs) and blocks SIGINT and SIGTERM (bits 2 and 15 of SigBlk) or waits for them in
# sigtimedwait, which unblocks them while it sleeps.
waits_for_stop_signals() {
  local mask
  [[ $(readlink "/proc/$1/exe" 2>/dev/null) == "$(readlink -f "$idle")" ]] || return 1
  mask="$(awk '/^SigBlk:/ { print $2 }' "/proc/$1/status" 2>/dev/null)"
  [[ -n $mask ]] && (((16#$mask & 0x4002) == 0x4002)) && return 0
  grep -q sigtimedwait "/proc/$1/wchan" 2>/dev/null
}

for signal in TERM INT; do
  "$idle" $(($(now_ms) + 600000)) -- /bin/sh -c "$report" sh >"$work/out" &
  pid=$!
  # Signalled before it blocks them, it would die of SIGTERM or ignore SIGINT: wait until it
  # is ready (at most 60 s, for a loaded machine; the output below tells if it never was).
  for _ in $(seq 1200); do
    waits_for_stop_signals "$pid" && break
    sleep 0.05
  done
  kill -s "$signal" "$pid"
  wait "$pid"
  number=$(kill -l "$signal")
  [[ $(cat "$work/out") == "signal=$number args=" ]] || fail "SIG$signal: '$(cat "$work/out")'"
done

"$idle" 123 /bin/true 2>"$work/err"
[[ $? -eq 2 ]] && grep -q usage "$work/err" || fail "a command line without -- is not refused"
"$idle" 1 -- /nonexistent 2>"$work/err"
[[ $? -eq 1 ]] && grep -q "cannot execute /nonexistent" "$work/err" ||
  fail "a missing program: $(cat "$work/err")"

[[ $failures -eq 0 ]] && echo "telemetry-idle: all checks passed"
exit $((failures > 0))
