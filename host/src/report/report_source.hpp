// The current report of this installation: runs the enabled probes through the runner that
// plugins.isolation names, records their outcomes in the ProbeHistory and hands them to the
// ReportBuilder.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <Poco/JSON/Object.h>

#include "plugins/plugin_catalog.hpp"
#include "probes/probe_history.hpp"
#include "probes/probe_runner.hpp"
#include "state/state_store.hpp"
#include "telemetry/config.hpp"
#include "telemetry/usage_snapshot.hpp"

namespace telemetry {

class ReportSource {
 public:
  /// Loads the plugin catalog from `config`; `state` must outlive this object.
  ReportSource(const Config& config, StateStore& state);

  const PluginCatalog& catalog() const { return catalog_; }

  /// Runs every enabled, usable probe once, each within plugins.timeout and, when given,
  /// within `timeoutCap`; remembers the outcomes.
  std::vector<ProbeOutcome> collect(std::optional<Duration> timeoutCap = {});
  /// The outcomes of the last collect(), if any ran.
  std::optional<std::vector<ProbeOutcome>> lastOutcomes() const;

  /// The full report with freshly collected sections.
  Poco::JSON::Object::Ptr fullReport(const UsageSnapshot& usage);
  /// The full report with the given probe outcomes.
  Poco::JSON::Object::Ptr fullReport(const UsageSnapshot& usage,
                                     const std::vector<ProbeOutcome>& outcomes);
  Poco::JSON::Object::Ptr initialReport();

 private:
  const Config& config_;
  StateStore& state_;
  PluginCatalog catalog_;
  std::unique_ptr<ProbeRunner> runner_;
  ProbeHistory history_;
  mutable std::mutex mutex_;  // guards lastOutcomes_: the reporter and the REST API read it
  std::optional<std::vector<ProbeOutcome>> lastOutcomes_;
};

}  // namespace telemetry
