#include <iostream>
#include <memory>

#include "command_registry.hpp"
#include "config/logging.hpp"
#include "exit_code.hpp"
#include "report/report_builder.hpp"
#include "state/state_store.hpp"
#include "telemetry/host.hpp"

namespace telemetry::cli {

struct ReportOptions {
  bool initial = false;
};

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
    return success;
  }
  // Through the Host, so the counts shown are exactly what `send` would take.
  HostOptions readOnly;
  readOnly.stateOpening = StoreOpening::inMemoryIfMissing;
  Host host(config, readOnly);
  noteWithoutStore(host.state());
  std::cout << host.report() << '\n';
  return success;
}

namespace {

void setupReport(CLI::App& app, CommandRun& chosen) {
  auto options = std::make_shared<ReportOptions>();
  auto* report = app.add_subcommand(
      "report", "collect now and print the report JSON; sends nothing, changes no counter");
  report->add_flag("--initial", options->initial, "print the one-time initial report");
  report->footer(
      R"(The plugins run as they would for a send (isolation, timeouts); a late or failing
probe's section is left out, as it would be. Nothing is stored, sent or subtracted.
Examples:
  telemetry report > now.json        what the next full report would hold
  telemetry report --initial         the anonymous initial report (no probe data)
  telemetry --log-level debug report why a section is missing)");
  runWhenChosen(*report, chosen,
                [options](const Invocation& call) { return runReport(call.config, *options); });
}

[[maybe_unused]] const bool kReportRegistered = registerCommand({10, setupReport});

}  // namespace

}  // namespace telemetry::cli
