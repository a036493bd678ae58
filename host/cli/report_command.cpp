#include <iostream>

#include "commands.hpp"
#include "exit_code.hpp"
#include "telemetry/report_builder.hpp"
#include "telemetry/report_source.hpp"
#include "telemetry/state_store.hpp"

namespace telemetry::cli {

int runReport(const Config& config, const ReportOptions& options) {
  StateStore state(config.state.path, config.telemetry.initialize);
  ReportSource source(config, state);
  auto report = options.initial ? source.initialReport() : source.fullReport(UsageSnapshot{});
  std::cout << toJsonText(report) << '\n';
  return kSuccess;
}

}  // namespace telemetry::cli
