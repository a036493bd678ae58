#include <iostream>

#include "commands.hpp"
#include "exit_code.hpp"
#include "telemetry/host.hpp"
#include "telemetry/report_builder.hpp"
#include "telemetry/report_dispatcher.hpp"
#include "telemetry/report_source.hpp"

namespace telemetry::cli {

int runReport(const Config& config, const ReportOptions& options) {
  if (options.initial) {
    StateStore state(config.state.path, config.telemetry.initialize);
    ReportSource source(config, state);
    std::cout << toJsonText(source.initialReport()) << '\n';
    return kSuccess;
  }
  // Through the Host, so the counts shown are exactly what `send` would take.
  Host host(config);
  std::cout << host.report() << '\n';
  return kSuccess;
}

}  // namespace telemetry::cli
