#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "exit_code.hpp"
#include "report/utf8_text.hpp"
#include "state/state_store.hpp"
#include "telemetry/usage_count.hpp"

namespace telemetry::cli {

int runUsage(const Config& config, const UsageOptions& options) {
  const std::optional<std::uint64_t> count = parseUsageCount(options.count);
  if (!count) {
    std::cerr << "telemetry: N " << kUsageCountRange << '\n';
    return kUsageError;
  }
  if (auto problem = textProblem(options.name)) {
    std::cerr << "telemetry: " << (options.kind == "worker" ? "ID " : "NAME ") << *problem << '\n';
    return kUsageError;
  }
  UsageSnapshot counts;
  std::vector<std::string> workers;
  if (options.kind == "command") {
    counts.commands[options.name] = *count;
  } else if (options.kind == "metric") {
    const bool known =
        std::find(kMetricNames.begin(), kMetricNames.end(), options.name) != kMetricNames.end();
    if (!known || options.name == "unique-task-workers") {
      std::cerr << "telemetry: unknown metric '" << options.name
                << "'; counted metrics are root-process-instance-start, activity-instance-start, "
                   "executed-decision-instances, executed-decision-elements (unique task "
                   "workers are recorded with 'telemetry usage worker ID')\n";
      return kUsageError;
    }
    counts.metrics[options.name] = *count;
  } else {
    workers.push_back(options.name);
  }
  StateStore state(config.state.path, config.telemetry.initialize, config.usage.exactTaskWorkers);
  // The spec: data is collected only while telemetry is enabled.
  if (!state.telemetryEnabled()) {
    std::cerr << "telemetry: not counted: telemetry is disabled\n";
    return kSuccess;
  }
  if (config.usage.historyLevel == HistoryLevel::none && !workers.empty()) {
    std::cerr << "telemetry: not recorded: usage.history-level is none, so unique task "
                 "workers are reported as 0\n";
    return kSuccess;
  }
  state.addUsage(counts, workers, StateStore::Clock::now());
  return kSuccess;
}

}  // namespace telemetry::cli
