#include "telemetry/report_source.hpp"

#include "telemetry/config_loader.hpp"
#include "telemetry/in_process_probe_runner.hpp"
#include "telemetry/logging.hpp"
#include "telemetry/report_builder.hpp"

namespace telemetry {

ReportSource::ReportSource(const Config& config, StateStore& state)
    : config_(config),
      state_(state),
      catalog_(pluginSearchPath(config), config.plugins.enabled),
      runner_(std::make_unique<InProcessProbeRunner>()) {
  if (config.plugins.isolation == Isolation::process) {
    logger()->debug("plugins.isolation 'process' is not available yet; probes run in-process");
  }
}

std::vector<ProbeOutcome> ReportSource::collect() {
  std::vector<ProbeTask> tasks;
  for (const EnabledPlugin& enabled : config_.plugins.enabled) {
    auto plugin = catalog_.find(enabled.name);
    if (!plugin) continue;  // the catalog has said why
    tasks.push_back({plugin, enabled.settingsJson, config_.plugins.timeout, {}});
  }
  return runner_->run(tasks);
}

Poco::JSON::Object::Ptr ReportSource::fullReport(const UsageSnapshot& usage) {
  ReportBuilder builder(config_.product, state_.installationId());
  return builder.full(collect(), usage);
}

Poco::JSON::Object::Ptr ReportSource::initialReport() {
  ReportBuilder builder(config_.product, state_.installationId());
  return builder.initial(state_.telemetryEnabled());
}

}  // namespace telemetry
