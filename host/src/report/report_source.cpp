#include "report/report_source.hpp"

#include <algorithm>

#include "config/logging.hpp"
#include "plugins/configured_catalog.hpp"
#include "probes/in_process_probe_runner.hpp"
#include "probes/process_probe_runner.hpp"
#include "report/report_builder.hpp"
#include "telemetry/config_loader.hpp"

namespace telemetry {
namespace {

std::unique_ptr<ProbeRunner> makeRunner(const PluginsConfig& plugins) {
  if (plugins.isolation == Isolation::inProcess) {
    logger()->debug("probes run in-process: a crashing plugin takes the host down");
    return std::make_unique<InProcessProbeRunner>();
  }
  return std::make_unique<ProcessProbeRunner>(probeChildOptions(plugins));
}

}  // namespace

ReportSource::ReportSource(const Config& config, StateStore& state)
    : config_(config),
      state_(state),
      catalog_(configuredCatalog(config)),
      runner_(makeRunner(config.plugins)),
      history_(ProbeHistory::locationFor(config.state)) {}

std::vector<ProbeOutcome> ReportSource::collect(std::optional<Duration> timeoutCap) {
  // What only the host knows, handed to every probe (the license plugin reads the key).
  plugin::Context::Facts facts;
  if (auto key = state_.licenseKey()) {
    facts.emplace("license-key", key->raw);
    facts.emplace("license-key-source", std::string(toString(key->source)));
  }
  std::vector<ProbeTask> tasks;
  for (const EnabledPlugin& enabled : config_.plugins.enabled) {
    auto plugin = catalog_.find(enabled.name);
    if (!plugin) continue;  // the catalog has said why
    Duration timeout =
        timeoutCap ? std::min(config_.plugins.timeout, *timeoutCap) : config_.plugins.timeout;
    tasks.push_back({plugin, enabled.settingsJson, timeout, facts});
  }
  std::vector<ProbeOutcome> outcomes = runner_->run(tasks);
  // Without a store there is no installation yet whose probe history could be kept.
  if (!state_.inMemory()) history_.record(outcomes);
  std::lock_guard lock(mutex_);
  lastOutcomes_ = outcomes;
  return outcomes;
}

std::optional<std::vector<ProbeOutcome>> ReportSource::lastOutcomes() const {
  std::lock_guard lock(mutex_);
  return lastOutcomes_;
}

Poco::JSON::Object::Ptr ReportSource::fullReport(const UsageSnapshot& usage) {
  return fullReport(usage, collect());
}

Poco::JSON::Object::Ptr ReportSource::fullReport(const UsageSnapshot& usage,
                                                 const std::vector<ProbeOutcome>& outcomes) {
  ReportBuilder builder(config_.product, state_.installationId());
  return builder.full(outcomes, usage);
}

Poco::JSON::Object::Ptr ReportSource::initialReport() {
  ReportBuilder builder(config_.product, state_.installationId());
  return builder.initial(state_.telemetryEnabled());
}

}  // namespace telemetry
