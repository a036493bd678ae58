#include <iostream>

#include "commands.hpp"
#include "delivery/sending_permission.hpp"
#include "exit_code.hpp"
#include "state/state_store.hpp"
#include "telemetry/host.hpp"

namespace telemetry::cli {

int runSwitch(const Config& config, bool enable) {
  StateStore state(config.state.path, config.telemetry.initialize);
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
  return kSuccess;
}

}  // namespace telemetry::cli
