#!/usr/bin/env bash
# The packaged systemd units are valid and keep their sandbox: systemd-analyze verify
# (works without a running systemd) must print nothing, and the hardening options must be
# there. Usage: systemd_units_test.sh UNIT_DIR BIN_DIR  (ExecStart is pointed at BIN_DIR)
set -uo pipefail
units="$1" bin="$2"
source "${BASH_SOURCE[0]%/*}/../support/skip_or_fail_in_ci.sh"
if ! command -v systemd-analyze >/dev/null; then
  skip_or_fail_in_ci "systemd-analyze not found (Debian package systemd)"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
for unit in "$units"/*.service; do
  name="$(basename "$unit")"
  sed "s|/usr/bin/|$bin/|g" "$unit" >"$work/$name"
  output="$(systemd-analyze verify "$work/$name" 2>&1)"
  if [[ $? -ne 0 || -n "$output" ]]; then
    echo "FAIL: $name: $output"
    failures=$((failures + 1))
  else
    echo "ok:   $name verifies"
  fi
  for option in NoNewPrivileges=yes ProtectSystem=strict StateDirectory= PrivateTmp=yes \
    CapabilityBoundingSet= RestrictAddressFamilies= SystemCallFilter=@system-service; do
    grep -q "^$option" "$unit" || {
      echo "FAIL: $name lacks $option"
      failures=$((failures + 1))
    }
  done
  # The probe child confines itself; outside the filter these calls would be killed.
  if [[ "$name" == telemetry.service ]]; then
    for call in landlock_create_ruleset landlock_add_rule landlock_restrict_self seccomp; do
      grep -qE "^SystemCallFilter=.*\b$call\b" "$unit" || {
        echo "FAIL: $name does not allow $call, which telemetry-probe's sandbox calls"
        failures=$((failures + 1))
      }
    done
  fi
  grep -qE '^(User=|DynamicUser=yes)' "$unit" || {
    echo "FAIL: $name runs as root"
    failures=$((failures + 1))
  }
done
exit $((failures > 0))
