#include <algorithm>
#include <iostream>
#include <memory>

#include "command_registry.hpp"
#include "exit_code.hpp"
#include "report/utf8_text.hpp"
#include "state/state_store.hpp"
#include "telemetry/usage_count.hpp"

namespace telemetry::cli {

struct UsageOptions {
  std::string kind;         ///< "command", "metric" or "worker"
  std::string name;         ///< command or metric name, or worker id
  std::string count = "1";  ///< N as given; a whole number from 1 to kMaxUsageCount
};

int runUsage(const Config& config, const UsageOptions& options) {
  const std::optional<std::uint64_t> count = parseUsageCount(options.count);
  if (!count) {
    std::cerr << "telemetry: N " << kUsageCountRange << '\n';
    return usageError;
  }
  if (auto problem = textProblem(options.name)) {
    std::cerr << "telemetry: " << (options.kind == "worker" ? "ID " : "NAME ") << *problem << '\n';
    return usageError;
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
      return usageError;
    }
    counts.metrics[options.name] = *count;
  } else {
    workers.push_back(options.name);
  }
  StateStore state(config.state.path, config.telemetry.initialize, config.usage.exactTaskWorkers);
  // The spec: data is collected only while telemetry is enabled.
  if (!state.telemetryEnabled()) {
    std::cerr << "telemetry: not counted: telemetry is disabled\n";
    return success;
  }
  if (config.usage.historyLevel == HistoryLevel::none && !workers.empty()) {
    std::cerr << "telemetry: not recorded: usage.history-level is none, so unique task "
                 "workers are reported as 0\n";
    return success;
  }
  state.addUsage(counts, workers, StateStore::Clock::now());
  return success;
}

namespace {

void setupUsage(CLI::App& app, CommandRun& chosen) {
  auto options = std::make_shared<UsageOptions>();
  auto* usage = app.add_subcommand(
      "usage", "count usage from outside the product: commands, metrics, task workers");
  usage->require_subcommand(1);
  usage->footer(R"(Counted only while telemetry is enabled. Safe to call concurrently.
Examples:
  telemetry usage command StartProcessInstanceCmd
  telemetry usage metric root-process-instance-start 25
  telemetry usage worker worker-7f3a)");
  auto* usageCommand = usage->add_subcommand("command", "add N (default 1) to a command count");
  usageCommand->add_option("NAME", options->name, "command name")->required();
  // N is checked by runUsage, so that every bad N gets the same one-line message.
  usageCommand->add_option("N", options->count, "how many (1 to 9223372036854775807)");
  auto* usageMetric = usage->add_subcommand("metric", "add N (default 1) to a metric");
  usageMetric->add_option("NAME", options->name, "metric name, e.g. root-process-instance-start")
      ->required();
  usageMetric->add_option("N", options->count, "how many (1 to 9223372036854775807)");
  auto* usageWorker = usage->add_subcommand("worker", "record a task-worker sighting");
  usageWorker->add_option("ID", options->name, "worker id")->required();
  for (CLI::App* kind : {usageCommand, usageMetric, usageWorker}) {
    runWhenChosen(*kind, chosen, [options, name = kind->get_name()](const Invocation& call) {
      options->kind = name;
      return runUsage(call.config, *options);
    });
  }
}

[[maybe_unused]] const bool kUsageRegistered = registerCommand({90, setupUsage});

}  // namespace

}  // namespace telemetry::cli
