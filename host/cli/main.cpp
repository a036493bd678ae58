// The `telemetry` command line: parses arguments and configuration, runs one command and
// turns every error into the exit code CONTRACT.md promises.
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.hpp"
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

  cli::ReportOptions reportOptions;
  auto* report = app.add_subcommand(
      "report", "collect now and print the report JSON; sends nothing, changes no counter");
  report->add_flag("--initial", reportOptions.initial, "print the one-time initial report");
  report->footer(
      R"(The plugins run as they would for a send (isolation, timeouts); a late or failing
probe's section is left out, as it would be. Nothing is stored, sent or subtracted.
Examples:
  telemetry report > now.json        what the next full report would hold
  telemetry report --initial         the anonymous initial report (no probe data)
  telemetry --log-level debug report why a section is missing)");

  cli::PluginsOptions pluginsOptions;
  auto* plugins = app.add_subcommand("plugins", "list every plugin found and its state");
  plugins->add_flag("--json", pluginsOptions.json, "print JSON instead of a table");
  plugins->footer(R"(STATE is loaded, missing, or refused with the reason: a file others can write
(plugins.allow-unsafe), an ABI the host does not support, not a telemetry plugin.
Only the plugins under plugins.enabled run.
Examples:
  telemetry plugins
  telemetry --config /etc/telemetry/telemetry.yaml plugins --json)");

  cli::SendOptions sendOptions;
  auto* send = app.add_subcommand(
      "send", "collect and send one report now, if sending is allowed; exit 3 when it fails");
  send->add_flag("--initial", sendOptions.initial,
                 "send the one-time initial report (only if it was never delivered)");
  send->footer(
      "The full report is sent only while telemetry is enabled. On a 2xx answer the "
      "sent counts are subtracted; otherwise they stay for the next report.");

  auto* run = app.add_subcommand(
      "run", "the daemon: initial report once, a full report per period while enabled");
  run->footer(
      "SIGTERM or SIGINT sends the final report (if enabled) and exits 0. With "
      "reporter-activate: false or DO_NOT_TRACK=1 nothing is ever sent.\n"
      "Examples:\n"
      "  telemetry run\n"
      "  systemctl enable --now telemetry      the packaged service (user telemetry)");
  auto* enable = app.add_subcommand("enable", "opt in to telemetry (the spec's toggleTelemetry)");
  enable->footer(
      "A full report is then sent once per telemetry.reporting-period; `telemetry report` "
      "shows it first.\nExample:\n  sudo -u telemetry telemetry enable   (packaged install)");
  auto* disable =
      app.add_subcommand("disable", "opt out: no full reports; unsent counts are discarded");
  disable->footer("Takes effect for a running daemon at its next period; nothing more is sent.");

  cli::StatusOptions statusOptions;
  auto* status = app.add_subcommand(
      "status", "installation id, opt-in, initial report, last and next send, plugins");
  status->add_flag("--json", statusOptions.json, "print JSON instead of text");
  status->footer("Examples:\n  telemetry status\n  telemetry status --json");

  cli::LicenseOptions licenseOptions;
  auto* license =
      app.add_subcommand("license", "store or remove the license key the report carries");
  license->footer(
      R"(Set here, the key is reported as raw text; set through the REST API or admin page,
also as structured fields. A signature=... field is never sent.
Examples:
  telemetry license set /opt/product/license.txt
  printf '%s' "$KEY" | telemetry license set -
  telemetry license clear)");
  license->require_subcommand(1);
  auto* licenseSet = license->add_subcommand("set", "store the license key read from FILE or -");
  licenseSet->add_option("FILE", licenseOptions.file, "file holding the key, or - for stdin")
      ->required();
  auto* licenseClear = license->add_subcommand("clear", "remove the stored license key");

  cli::UsageOptions usageOptions;
  auto* usage = app.add_subcommand(
      "usage", "count usage from outside the product: commands, metrics, task workers");
  usage->require_subcommand(1);
  usage->footer(R"(Counted only while telemetry is enabled. Safe to call concurrently.
Examples:
  telemetry usage command StartProcessInstanceCmd
  telemetry usage metric root-process-instance-start 25
  telemetry usage worker worker-7f3a)");
  auto* usageCommand = usage->add_subcommand("command", "add N (default 1) to a command count");
  usageCommand->add_option("NAME", usageOptions.name, "command name")->required();
  // N is checked by runUsage, so that every bad N gets the same one-line message.
  usageCommand->add_option("N", usageOptions.count, "how many (1 to 9223372036854775807)");
  auto* usageMetric = usage->add_subcommand("metric", "add N (default 1) to a metric");
  usageMetric
      ->add_option("NAME", usageOptions.name, "metric name, e.g. root-process-instance-start")
      ->required();
  usageMetric->add_option("N", usageOptions.count, "how many (1 to 9223372036854775807)");
  auto* usageWorker = usage->add_subcommand("worker", "record a task-worker sighting");
  usageWorker->add_option("ID", usageOptions.name, "worker id")->required();

  cli::UserOptions userOptions;
  auto* user = app.add_subcommand("user", "manage the users of the REST API (api.users-file)");
  user->require_subcommand(1);
  auto* userAdd = user->add_subcommand(
      "add", "add a REST API user or change its password and groups; password from stdin");
  userAdd->add_option("NAME", userOptions.name, "user name (HTTP Basic)")->required();
  userAdd
      ->add_option("--group", userOptions.groups,
                   "a group to put the user in (repeatable): api.admin-group to change "
                   "settings, usage to post usage counts; without, it may only read")
      ->allow_extra_args(false);
  userAdd->footer(
      "On a terminal the password is asked twice without echo; otherwise the first line of "
      "stdin is the password. Only a salted PBKDF2-SHA256 hash is stored, in a file of mode "
      "0600. A running daemon picks the change up on the next request.");

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
      std::cerr << "telemetry: " << (logLevel ? "--log-level " : "logging.level ")
                << logLevelChoice(level) << '\n';
      return cli::kUsageError;
    }
    if (*report) return cli::runReport(config, reportOptions);
    if (*plugins) return cli::runPlugins(config, pluginsOptions);
    if (*send) return cli::runSend(config, sendOptions);
    if (*run) return cli::runDaemon(config, std::vector<std::string>(argv + 1, argv + argc));
    if (*enable) return cli::runSwitch(config, true);
    if (*disable) return cli::runSwitch(config, false);
    if (*status) return cli::runStatus(config, statusOptions);
    if (*licenseSet) return cli::runLicense(config, licenseOptions);
    if (*userAdd) return cli::runUser(config, userOptions);
    if (*usage) {
      usageOptions.kind = *usageCommand ? "command" : *usageMetric ? "metric" : "worker";
      return cli::runUsage(config, usageOptions);
    }
    if (*licenseClear) {
      licenseOptions.clear = true;
      return cli::runLicense(config, licenseOptions);
    }
    throw std::logic_error("no handler for the command '" +
                           app.get_subcommands().front()->get_name() + "'");
  } catch (const ConfigError& e) {
    std::cerr << "telemetry: " << e.what() << '\n';
    return cli::kUsageError;
  } catch (const std::exception& e) {
    std::cerr << "telemetry: error: " << e.what() << '\n';
    return cli::kInternalError;
  }
}
