#include <iostream>

#include "commands.hpp"
#include "exit_code.hpp"
#include "telemetry/host.hpp"
#include "telemetry/report_builder.hpp"

namespace telemetry::cli {

int runReport(const Config& config, const ReportOptions& options) {
  if (options.initial) {
    // The initial report has no probe sections: no plugin needs loading for it.
    StateStore state(config.state.path, config.telemetry.initialize);
    ReportBuilder builder(config.product, state.installationId());
    std::cout << toJsonText(builder.initial(state.telemetryEnabled())) << '\n';
    return kSuccess;
  }
  // Through the Host, so the counts shown are exactly what `send` would take.
  Host host(config);
  std::cout << host.report() << '\n';
  return kSuccess;
}

}  // namespace telemetry::cli
