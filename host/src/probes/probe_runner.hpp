// Runs the enabled probes and says, for each, what it gave or why its section is missing.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "plugins/loaded_plugin.hpp"
#include "telemetry/config.hpp"
#include "telemetry/plugin/context.hpp"
#include "telemetry/plugin/result.hpp"

namespace telemetry {

/// One probe to run: which plugin, with which settings, for how long at most.
struct ProbeTask {
  std::shared_ptr<const LoadedPlugin> plugin;
  std::string settingsJson = "{}";
  Duration timeout = std::chrono::seconds(10);
  plugin::Context::Facts facts;
  /// Process mode: only load the plugin and answer its description (telemetry-probe
  /// --describe), for the catalog; nothing is collected.
  bool describeOnly = false;
};

struct ProbeOutcome {
  enum class Status { value, notApplicable, failed, timedOut };
  std::string plugin;
  std::string section;
  Status status = Status::failed;
  std::string text;  ///< JSON for `value`, the reason otherwise
  Duration elapsed{0};
};

std::string toString(ProbeOutcome::Status status);
/// The outcome status of a probe's own result.
ProbeOutcome::Status toStatus(plugin::Result::Kind kind);

/// The most a probe may answer: larger sections are refused. In process mode it also
/// bounds what a probe may log and print.
inline constexpr std::size_t kMaxProbeOutputBytes = std::size_t{1} << 20;

/// The strategy interface: in the host's process, or one child process per probe.
class ProbeRunner {
 public:
  virtual ~ProbeRunner() = default;
  /// One outcome per task, in task order. Never throws for a misbehaving probe. Every task's
  /// deadline counts from the call, so the whole run takes about the longest timeout.
  virtual std::vector<ProbeOutcome> run(const std::vector<ProbeTask>& tasks) = 0;
};

}  // namespace telemetry
