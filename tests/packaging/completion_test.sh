#!/usr/bin/env bash
# The bash completion offers what the CLI accepts: commands, subcommands, options, values.
# Usage: completion_test.sh COMPLETION_SCRIPT
set -uo pipefail
source "$1"
failures=0

# complete "telemetry us" -> expect the words given
expect() {
  local line="$1"
  shift
  read -ra COMP_WORDS <<<"$line"
  [[ $line == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _telemetry
  local got="${COMPREPLY[*]}" want="$*"
  if [[ "$got" != "$want" ]]; then
    echo "FAIL: '$line' completed to '$got', expected '$want'"
    failures=$((failures + 1))
  else
    echo "ok:   '$line' -> '$got'"
  fi
}

expect "telemetry us" usage user
expect "telemetry st" status
expect "telemetry --lo" --log-level
expect "telemetry --log-level w" warn
expect "telemetry --config x.yaml li" license
expect "telemetry license " set clear --help
expect "telemetry usage metric root" root-process-instance-start
expect "telemetry user add admin --g" --group
expect "telemetry user add admin --group telemetry-" telemetry-admin
expect "telemetry report --i" --initial
expect "telemetry status --j" --json
expect "telemetry disable --d" --delete
expect "telemetry send --t" --to
expect "telemetry send --to /dev/nul" /dev/null
expect "telemetry send --to x.jsonl --f" --force
expect "telemetry explain --d" --dictionary
expect "telemetry ex" explain

# Every command the CLI lists in its help is offered.
if [[ $# -ge 2 ]]; then
  for command in $("$2" --help | awk '/^Subcommands:/{on=1; next} on && !NF {exit} on {print $1}'); do
    read -ra COMP_WORDS <<<"telemetry ${command:0:3}"
    COMP_CWORD=1
    _telemetry
    [[ " ${COMPREPLY[*]} " == *" $command "* ]] || {
      echo "FAIL: '$command' from 'telemetry --help' is not completed"
      failures=$((failures + 1))
    }
  done
fi
exit $((failures > 0))
