// The `telemetry` command line: parses arguments and configuration, runs one command and
// turns every error into the exit code CONTRACT.md promises.
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "exit_code.hpp"
#include "telemetry/config_loader.hpp"
#include "telemetry/logging.hpp"
#include "telemetry/version.hpp"

namespace {

using namespace telemetry;

constexpr const char* kFooter =
    R"(Configuration: --config FILE, else $TELEMETRY_CONFIG, else ./telemetry.yaml,
else /etc/telemetry/telemetry.yaml, else built-in defaults.
Exit codes: 0 ok, 1 internal error, 2 usage or configuration error, 3 send failed,
4 sending not allowed.
Examples:
  telemetry report                 print the report that would be sent now
  telemetry report --initial       print the one-time anonymous initial report
  telemetry plugins                list plugins and why any was refused)";

/// Commands of CONTRACT.md whose issues have not landed yet.
constexpr const char* kPlannedCommands[][2] = {
    {"send", "collect and send one report now"},
    {"run", "run the reporter daemon"},
    {"enable", "opt in to telemetry"},
    {"disable", "opt out of telemetry"},
    {"status", "show installation id, opt-in, last and next send"},
    {"usage", "add to command counts, metrics or task workers"},
    {"license", "store or remove the license key"},
    {"user", "add a REST API user"},
};

Config loadEffectiveConfig(const std::optional<std::string>& option) {
  auto file = locateConfig(option);
  return file ? loadConfig(*file) : Config{};
}

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
                 "trace, debug, info, warn, error or off (overrides logging.level)");

  cli::ReportOptions reportOptions;
  auto* report = app.add_subcommand(
      "report", "collect now and print the report JSON; sends nothing, changes no counter");
  report->add_flag("--initial", reportOptions.initial, "print the one-time initial report");

  cli::PluginsOptions pluginsOptions;
  auto* plugins = app.add_subcommand("plugins", "list every plugin found and its state");
  plugins->add_flag("--json", pluginsOptions.json, "print JSON instead of a table");

  for (const auto& [name, description] : kPlannedCommands) {
    app.add_subcommand(name, std::string(description) + " (not implemented yet)")
        ->allow_extras()
        ->prefix_command();
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? cli::kSuccess : cli::kUsageError;
  }

  try {
    Config config = loadEffectiveConfig(configOption);
    std::string level = logLevel.value_or(config.logging.level);
    if (!setLogLevel(level)) {
      std::cerr << "telemetry: unknown log level '" << level << "'\n";
      return cli::kUsageError;
    }
    if (*report) return cli::runReport(config, reportOptions);
    if (*plugins) return cli::runPlugins(config, pluginsOptions);
    std::cerr << "telemetry: '" << app.get_subcommands().front()->get_name()
              << "' is not implemented yet\n";
    return cli::kInternalError;
  } catch (const ConfigError& e) {
    std::cerr << "telemetry: " << e.what() << '\n';
    return cli::kUsageError;
  } catch (const std::exception& e) {
    std::cerr << "telemetry: error: " << e.what() << '\n';
    return cli::kInternalError;
  }
}
