// Runs the enabled probes and says, for each, what it gave or why its section is missing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "telemetry/config.hpp"
#include "telemetry/loaded_plugin.hpp"
#include "telemetry/plugin/context.hpp"

namespace telemetry {

/// One probe to run: which plugin, with which settings, for how long at most.
struct ProbeTask {
  std::shared_ptr<const LoadedPlugin> plugin;
  std::string settingsJson = "{}";
  Duration timeout = std::chrono::seconds(10);
  plugin::Context::Facts facts;
};

struct ProbeOutcome {
  enum class Status { value, not_applicable, failed, timed_out };
  std::string plugin;
  std::string section;
  Status status = Status::failed;
  std::string text;  ///< JSON for `value`, the reason otherwise
  Duration elapsed{0};
};

std::string toString(ProbeOutcome::Status status);

/// The strategy interface: in the host's process, or one child process per probe.
class ProbeRunner {
 public:
  virtual ~ProbeRunner() = default;
  /// One outcome per task, in task order. Never throws for a misbehaving probe.
  virtual std::vector<ProbeOutcome> run(const std::vector<ProbeTask>& tasks) = 0;
};

}  // namespace telemetry
