#include <iostream>
#include <memory>

#include "command_registry.hpp"
#include "deletion_messages.hpp"
#include "delivery/sending_permission.hpp"
#include "exit_code.hpp"
#include "state/state_store.hpp"
#include "telemetry/host.hpp"

namespace telemetry::cli {

int runDisableAndDelete(const Config& config) {
  Host host(config);
  const std::string old = host.requestDeletion();
  std::cout << "telemetry disabled; counts not yet sent were discarded.\n"
            << "deletion requested for installation " << old << "; this installation's id is now "
            << host.state().installationId() << " (used only if telemetry is enabled again).\n";
  return reportDeletions(host.sendPendingDeletions());
}

int runSwitch(const Config& config, bool enable) {
  StateStore state(config.state.path, config.telemetry.initialize);
  // Deletion requests still pending go first: the one thing sent whatever the switch.
  if (enable && !state.pendingDeletions().empty()) {
    Host host(config);
    reportDeletions(host.sendPendingDeletions());
  }
  state.setTelemetryEnabled(enable);
  if (enable) {
    std::cout << "telemetry enabled for installation " << state.installationId()
              << ": a full report is sent once per reporting period.\n"
              << kLegalNote << '\n';
    if (auto why = sendingForbidden(config.telemetry)) {
      std::cout << "Note: nothing will be sent anyway while " << *why << ".\n";
    }
  } else {
    std::cout << "telemetry disabled for installation " << state.installationId()
              << ": no full report is sent and counts not yet sent were discarded.\n";
  }
  return success;
}

namespace {

void setupEnable(CLI::App& app, CommandRun& chosen) {
  auto* enable = app.add_subcommand("enable", "opt in to telemetry (the spec's toggleTelemetry)");
  enable->footer(
      "A full report is then sent once per telemetry.reporting-period; `telemetry report` "
      "shows it first.\nExample:\n  sudo -u telemetry telemetry enable   (packaged install)");
  runWhenChosen(*enable, chosen,
                [](const Invocation& call) { return runSwitch(call.config, true); });
}

void setupDisable(CLI::App& app, CommandRun& chosen) {
  auto* disable =
      app.add_subcommand("disable", "opt out: no full reports; unsent counts are discarded");
  auto deleteData = std::make_shared<bool>(false);
  disable->add_flag("--delete", *deleteData,
                    "also ask the collector to delete every report of this installation, and "
                    "give it a new id; exit 3 when the request is not delivered yet (it is kept "
                    "and sent again)");
  disable->footer(
      "Takes effect for a running daemon at its next period; nothing more is sent (with "
      "--delete: nothing but the deletion request, retried until the collector acknowledges "
      "it).");
  runWhenChosen(*disable, chosen, [deleteData](const Invocation& call) {
    return *deleteData ? runDisableAndDelete(call.config) : runSwitch(call.config, false);
  });
}

[[maybe_unused]] const bool kEnableRegistered = registerCommand({50, setupEnable});
[[maybe_unused]] const bool kDisableRegistered = registerCommand({60, setupDisable});

}  // namespace

}  // namespace telemetry::cli
