// The current report of this installation: runs the enabled probes through the configured
// runner and hands their outcomes to the ReportBuilder.
#pragma once

#include <memory>
#include <vector>

#include <Poco/JSON/Object.h>

#include "telemetry/config.hpp"
#include "telemetry/plugin_catalog.hpp"
#include "telemetry/probe_runner.hpp"
#include "telemetry/state_store.hpp"
#include "telemetry/usage_snapshot.hpp"

namespace telemetry {

class ReportSource {
 public:
  /// Loads the plugin catalog from `config`; `state` must outlive this object.
  ReportSource(const Config& config, StateStore& state);

  const PluginCatalog& catalog() const { return catalog_; }

  /// Runs every enabled, usable probe once.
  std::vector<ProbeOutcome> collect();

  Poco::JSON::Object::Ptr fullReport(const UsageSnapshot& usage);
  Poco::JSON::Object::Ptr initialReport();

 private:
  const Config& config_;
  StateStore& state_;
  PluginCatalog catalog_;
  std::unique_ptr<ProbeRunner> runner_;
};

}  // namespace telemetry
