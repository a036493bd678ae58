#include <iostream>

#include "commands.hpp"
#include "config/logging.hpp"
#include "exit_code.hpp"
#include "report/report_builder.hpp"
#include "state/state_store.hpp"
#include "telemetry/host.hpp"

namespace telemetry::cli {
namespace {

void noteWithoutStore(const StateStore& state) {
  if (!state.inMemory()) return;
  logger()->info(
      "no state store at {} yet, so none was made: the report shows a made-up installation "
      "id (the store and the real id are created by 'telemetry run', 'send' or 'enable')",
      state.location());
}

}  // namespace

int runReport(const Config& config, const ReportOptions& options) {
  if (options.initial) {
    // The initial report has no probe sections: no plugin needs loading for it.
    StateStore state(config.state.path, config.telemetry.initialize, config.usage.exactTaskWorkers,
                     StoreOpening::inMemoryIfMissing);
    noteWithoutStore(state);
    ReportBuilder builder(config.product, state.installationId());
    std::cout << toJsonText(builder.initial(state.telemetryEnabled())) << '\n';
    return kSuccess;
  }
  // Through the Host, so the counts shown are exactly what `send` would take.
  HostOptions readOnly;
  readOnly.stateOpening = StoreOpening::inMemoryIfMissing;
  Host host(config, readOnly);
  noteWithoutStore(host.state());
  std::cout << host.report() << '\n';
  return kSuccess;
}

}  // namespace telemetry::cli
