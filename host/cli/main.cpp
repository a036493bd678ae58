// The `telemetry` command line: parses arguments and configuration, runs one command and
// turns every error into the exit code CONTRACT.md promises. The commands register
// themselves (command_registry.hpp), each from its own *_command.cpp.
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "command_registry.hpp"
#include "config/logging.hpp"
#include "exit_code.hpp"
#include "telemetry/config_loader.hpp"
#include "telemetry/version.hpp"

namespace {

using namespace telemetry;

constexpr const char* kFooter =
    R"(Configuration: --config FILE, else $TELEMETRY_CONFIG, else ./telemetry.yaml,
else /etc/telemetry/telemetry.yaml, else built-in defaults.
Exit codes: 0 ok, 1 internal error, 2 usage or configuration error, 3 send failed,
4 sending not allowed (disabled, reporter-activate: false, DO_NOT_TRACK).
Examples:
  telemetry report                 print the report that would be sent now
  telemetry report --initial       print the one-time anonymous initial report
  telemetry status                 installation id, opt-in, last and next send
  telemetry enable                 opt in: a full report once per reporting period
  telemetry send                   send the full report now (exit 3 if it fails)
  telemetry run                    the daemon; SIGTERM sends the final report
  telemetry plugins                list plugins and why any was refused
  telemetry user add admin --group telemetry-admin
                                   add a REST API admin (password from stdin or prompt))";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "telemetry: the opt-in product telemetry host. It sends nothing unless you allow it.",
      "telemetry"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("telemetry ") + kVersion);
  app.require_subcommand(1);

  std::optional<std::string> configOption;
  std::optional<std::string> logLevel;
  app.add_option("--config", configOption, "configuration file (YAML)");
  app.add_option("--log-level", logLevel,
                 "trace, debug, info, warn, error, critical or off (overrides logging.level)");

  cli::CommandRun chosen;
  for (const cli::CommandRegistration& command : cli::registeredCommands()) {
    command.setup(app, chosen);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? cli::success : cli::usageError;
  }

  try {
    Config config = loadEffectiveConfig(configOption);
    std::string level = logLevel.value_or(config.logging.level);
    if (!setLogLevel(level)) {
      std::cerr << "telemetry: " << (logLevel ? "--log-level " : "logging.level ")
                << logLevelChoice(level) << '\n';
      return cli::usageError;
    }
    if (!chosen) {
      throw std::logic_error("no handler for the command '" +
                             app.get_subcommands().front()->get_name() + "'");
    }
    const std::vector<std::string> args(argv + 1, argv + argc);
    return chosen({config, args});
  } catch (const ConfigError& e) {
    std::cerr << "telemetry: " << e.what() << '\n';
    return cli::usageError;
  } catch (const std::exception& e) {
    std::cerr << "telemetry: error: " << e.what() << '\n';
    return cli::internalError;
  }
}
