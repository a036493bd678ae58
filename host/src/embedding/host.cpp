#include "telemetry/host.hpp"

#include <utility>

#include "config/logging.hpp"
#include "delivery/deletion_dispatcher.hpp"
#include "delivery/report_dispatcher.hpp"
#include "delivery/reporter.hpp"
#include "delivery/sender.hpp"
#include "delivery/sending_permission.hpp"
#include "report/report_builder.hpp"
#include "report/report_source.hpp"
#include "state/audit_log.hpp"
#include "state/installation_id.hpp"
#include "state/state_store.hpp"
#include "telemetry/settings/duration.hpp"
#include "usage/statsd_listener.hpp"

namespace telemetry {

void Host::logFirstRunNotice() {
  if (state_->initialReportSettled()) return;
  const std::string what =
      state_->telemetryEnabled()
          ? "Telemetry is enabled ('telemetry.initialize: true' or 'telemetry enable'), so "
            "full reports with the environment and usage data are sent too: the first about "
            "a minute after 'telemetry run' starts, then every " +
                settings::formatDuration(config_.telemetry.reportingPeriod) +
                "; 'telemetry disable' stops them."
          : std::string("Nothing else is sent unless telemetry is enabled ('telemetry enable').");
  logger()->info(
      "telemetry: this installation sends a one-time anonymous initial report to {}: "
      "installation id, product name, version and edition, and whether telemetry is enabled. "
      "{} To send nothing at all, set 'telemetry.reporter-activate: false' or DO_NOT_TRACK=1. "
      "{}",
      config_.telemetry.endpoint, what, kLegalNote);
}

Host::Host(Config config, HostOptions options)
    : config_(std::move(config)), options_(options), usage_(options.usage) {
  state_ = std::make_unique<StateStore>(config_.state.path, config_.telemetry.initialize,
                                        config_.usage.exactTaskWorkers, options_.stateOpening);
  source_ = std::make_unique<ReportSource>(config_, *state_);
  sender_ = std::make_unique<Sender>(config_.telemetry, options_.sender);
  audit_ = std::make_unique<AuditLog>(config_.state.auditLog);
  dispatcher_ = std::make_unique<ReportDispatcher>(config_, *state_, *source_, *sender_, *audit_);
  deletions_ =
      std::make_unique<DeletionDispatcher>(config_.telemetry, *state_, *audit_, options_.sender);
  const StateStore::OptInSwitch now = state_->optInSwitch();
  usage_.setCounting(now.enabled);
  seenOptOuts_ = now.optOuts;
}

Host::~Host() { stop(); }

void Host::start() {
  if (reporter_) return;
  if (auto why = sendingForbidden(config_.telemetry)) {
    logger()->info("telemetry reporter not started: {}; nothing will be sent", *why);
    if (!config_.usage.statsdListen.empty()) {
      logger()->info("StatsD listener not started either: what it counted could never be sent");
    }
    return;
  }
  // Once per start of the daemon, not again when it resumes from hibernation.
  if (!options_.reporter.resume) logFirstRunNotice();
  reporter_ = std::make_unique<Reporter>(
      config_, *state_, *dispatcher_, [this] { checkpoint(); }, options_.reporter,
      deletions_.get());
  reporter_->start();
  startStatsdListener();
}

void Host::startStatsdListener() {
  if (config_.usage.statsdListen.empty()) return;
  try {
    statsd_ = std::make_unique<StatsdListener>(config_.usage.statsdListen, usage_);
    logger()->info("counting StatsD usage lines sent to udp://{}", statsd_->address());
  } catch (const std::exception& e) {
    // Telemetry never stops the product: without the listener the rest still works.
    logger()->error("StatsD listener not started: {}", e.what());
  }
}

void Host::stop() noexcept {
  try {
    if (statsd_) statsd_->stop();  // first, so what it counted goes into the final report
    if (reporter_) reporter_->stop();
    checkpoint();
  } catch (const std::exception& e) {
    logger()->error("stopping telemetry: {}", e.what());
  } catch (...) {
    logger()->error("stopping telemetry: unknown error");
  }
}

std::optional<ReporterSchedule> Host::suspend(std::chrono::milliseconds minIdle) {
  if (!reporter_ || statsd_) return std::nullopt;
  auto schedule = reporter_->suspend(minIdle);
  if (!schedule) return std::nullopt;
  reporter_.reset();
  checkpoint();
  options_.reporter.resume = schedule;
  return schedule;
}

void Host::toggle(bool enabled) {
  const bool was = state_->telemetryEnabled();
  {
    std::lock_guard lock(checkpointMutex_);
    // Counting stops before the store forgets, so that nothing counted after the opt-out
    // survives a quick opt-in; what is still in memory is forgotten with the store's counts.
    if (!enabled) {
      usage_.setCounting(false);
      usage_.drain();
    }
    state_->setTelemetryEnabled(enabled);
    // This process's own opt-out already dropped what it held: the next checkpoint keeps
    // what is counted after a re-enable.
    if (!enabled) seenOptOuts_ = state_->optInSwitch().optOuts;
    if (enabled) usage_.setCounting(true);
  }
  if (was != enabled) {
    logger()->info("telemetry {}", enabled ? "enabled" : "disabled");
    if (enabled) logger()->info("{}", kLegalNote);
  }
  if (reporter_) reporter_->wake();
}

bool Host::isEnabled() { return state_->telemetryEnabled(); }

std::string Host::requestDeletion() {
  std::string old;
  {
    std::lock_guard lock(checkpointMutex_);
    // As toggle(false): nothing counted from now on survives, in memory or in the store.
    usage_.setCounting(false);
    usage_.drain();
    old = state_->requestDeletion(StateStore::Clock::now());
    seenOptOuts_ = state_->optInSwitch().optOuts;
  }
  logger()->info("telemetry disabled; deletion of installation {} requested from {}", old,
                 deletions_->endpoint());
  if (reporter_) reporter_->wake();
  return old;
}

DeletionOutcome Host::sendPendingDeletions() {
  DeletionOutcome outcome;
  if (auto why = sendingForbidden(config_.telemetry)) {
    outcome.pending = static_cast<int>(state_->pendingDeletions().size());
    outcome.forbidden = why;
    return outcome;
  }
  const DeletionRound round = deletions_->sendPending();
  outcome.pending = round.pending;
  outcome.acknowledged = round.acknowledged;
  outcome.error = round.lastError;
  return outcome;
}

std::optional<bool> Host::optIn() { return state_->optIn(); }

void Host::setLicenseKey(const std::string& raw, LicenseKeySource source) {
  state_->setLicenseKey(raw, source);
}

void Host::clearLicenseKey() { state_->clearLicenseKey(); }

std::string Host::report() {
  checkpoint();
  return toJsonText(dispatcher_->fullReport());
}

HostStatus Host::status() {
  HostStatus status;
  status.installationId = state_->installationId();
  status.optIn = state_->optIn();
  status.enabled = status.optIn.value_or(false);
  status.installationProblem = installationIdProblem(status.installationId);
  status.reporterActivate = config_.telemetry.reporterActivate;
  status.reporterActive = reporter_ != nullptr;
  status.forbidden = sendingForbidden(config_.telemetry);
  status.initialReportSent = state_->initialReportSentAt();
  status.initialReportWaived = !status.initialReportSent && state_->initialReportSettled();
  status.lastSend = state_->lastSend();
  if (reporter_ && status.enabled) status.nextSend = reporter_->nextFullReport();
  status.endpoint = config_.telemetry.endpoint;
  status.stateLocation = state_->location();
  status.auditLog = config_.state.auditLog;
  status.licenseKeyStored = state_->licenseKey().has_value();
  for (const auto& deletion : state_->pendingDeletions()) {
    status.pendingDeletions.push_back(deletion.installationId);
  }
  return status;
}

void Host::checkpoint() {
  std::lock_guard lock(checkpointMutex_);
  // The switch may have been flipped by another process (`telemetry disable`).
  const StateStore::OptInSwitch now = state_->optInSwitch();
  usage_.setCounting(now.enabled);
  UsageDelta delta = usage_.drain();
  const std::int64_t seen = std::exchange(seenOptOuts_, now.optOuts);
  if (delta.empty()) return;
  if (!now.enabled) return;  // collected only while enabled
  // With history level none unique task workers are always 0, so sightings aren't kept.
  if (config_.usage.historyLevel == HistoryLevel::none) delta.workers.clear();
  bool stored = false;
  if (now.optOuts == seen) {
    try {
      stored = state_->addUsage(delta.counts, delta.workers, StateStore::Clock::now(), seen);
    } catch (...) {
      usage_.restore(delta);  // the store is down: keep counting, store them next time
      throw;
    }
  }
  if (!stored) {
    // Another process disabled telemetry since the last checkpoint (and someone enabled it
    // again): which of these counts were made while disabled is unknown, so none is kept.
    logger()->info(
        "usage checkpoint: telemetry was disabled since the last checkpoint; dropped {} "
        "command and {} metric counts, {} worker ids counted meanwhile",
        delta.counts.commands.size(), delta.counts.metrics.size(), delta.workers.size());
    return;
  }
  // After the commit: tests wait for this line before they kill the daemon.
  logger()->debug("usage checkpoint: stored {} command and {} metric counts, {} worker ids",
                  delta.counts.commands.size(), delta.counts.metrics.size(), delta.workers.size());
}

}  // namespace telemetry
