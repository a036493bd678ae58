# bash completion for the telemetry CLI. Installed to
# /usr/share/bash-completion/completions/telemetry; source it to try it from a checkout.

_telemetry() {
  local cur prev words cword
  _init_completion 2>/dev/null || {
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD - 1]}"
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  }

  local global="--config --log-level --help --version"
  local commands="report explain plugins send run enable disable status license usage user"

  case "$prev" in
    --config)
      COMPREPLY=($(compgen -f -X '!*.@(yaml|yml)' -o plusdirs -- "$cur"))
      return
      ;;
    --log-level)
      COMPREPLY=($(compgen -W "trace debug info warn error critical off" -- "$cur"))
      return
      ;;
    --group)
      COMPREPLY=($(compgen -W "telemetry-admin usage" -- "$cur"))
      return
      ;;
    --to)
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
  esac

  # The command and its subcommand: the first words that are not options or their values.
  local command="" sub="" i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      --config | --log-level | --group | --to) ((i++)) ;;
      -*) ;;
      *)
        if [[ -z $command ]]; then
          command="${words[i]}"
        elif [[ -z $sub ]]; then
          sub="${words[i]}"
        fi
        ;;
    esac
  done

  local options=""
  case "$command" in
    "") options="$global $commands" ;;
    report) options="--initial --help" ;;
    send) options="--initial --to --force --help" ;;
    explain) options="--initial --json --dictionary --help" ;;
    plugins | status) options="--json --help" ;;
    run | enable) options="--help" ;;
    disable) options="--delete --help" ;;
    license)
      if [[ -z $sub ]]; then
        options="set clear --help"
      elif [[ $sub == set ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
        return
      fi
      ;;
    usage)
      if [[ -z $sub ]]; then
        options="command metric worker --help"
      elif [[ $sub == metric ]]; then
        options="root-process-instance-start activity-instance-start executed-decision-instances executed-decision-elements"
      fi
      ;;
    user)
      if [[ -z $sub ]]; then
        options="add --help"
      else
        options="--group --help"
      fi
      ;;
  esac
  COMPREPLY=($(compgen -W "$options" -- "$cur"))
}

complete -F _telemetry telemetry
