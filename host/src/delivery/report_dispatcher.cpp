#include "delivery/report_dispatcher.hpp"

#include <Poco/UUIDGenerator.h>

#include "config/logging.hpp"
#include "report/report_builder.hpp"
#include "state/installation_id.hpp"

namespace telemetry {
namespace {

constexpr std::string_view kUniqueTaskWorkers = "unique-task-workers";

// Long enough for one delivery with all its retries; a crashed sender's claim then expires.
std::chrono::milliseconds initialClaimTtl(const TelemetryConfig& config) {
  return (config.requestTimeout + std::chrono::seconds(60)) * (config.requestRetries + 1);
}

/// Not sent: no valid installation id. A new id would be a new installation to the
/// collector, so the operator repairs the store instead (docs/operations.md).
Delivery withoutInstallationId(const std::string& kind, const std::string& problem) {
  logger()->error(
      "{} report not sent: {}; see 'Repairing the installation id' in "
      "docs/operations.md",
      kind, problem);
  Delivery withheld;
  withheld.error = problem;
  withheld.withheld = true;
  return withheld;
}

}  // namespace

ReportDispatcher::ReportDispatcher(const Config& config, StateStore& state, ReportSource& source,
                                   const Sender& sender, AuditLog& audit)
    : config_(config), state_(state), source_(source), sender_(sender), audit_(audit) {}

void ReportDispatcher::redirect(Redirect to, std::string destination) {
  redirect_ = std::move(to);
  destination_ = std::move(destination);
}

UsageSnapshot ReportDispatcher::currentUsage() {
  UsageSnapshot usage = state_.pendingUsage();
  // The spec: with history level NONE the unique task workers can't be known and are 0.
  usage.metrics[std::string(kUniqueTaskWorkers)] =
      config_.usage.historyLevel == HistoryLevel::none
          ? 0
          : state_.uniqueTaskWorkers(StateStore::Clock::now());
  return usage;
}

Poco::JSON::Object::Ptr ReportDispatcher::fullReport() {
  return source_.fullReport(currentUsage());
}

Delivery ReportDispatcher::sendFull(std::stop_token stop, Deadline deadline,
                                    std::optional<int> retries, bool final) {
  if (auto problem = installationIdProblem(state_.installationId())) {
    return withoutInstallationId("full", *problem);
  }
  std::vector<ProbeOutcome> outcomes;
  if (auto last = final ? source_.lastOutcomes() : std::nullopt) {
    outcomes = std::move(*last);
  } else if (final && deadline) {
    auto left = std::chrono::duration_cast<Duration>(*deadline - Sender::Clock::now());
    outcomes = source_.collect(std::max(left / 2, Duration(0)));
  } else {
    outcomes = source_.collect();
  }
  // The probes may take seconds: telemetry disabled meanwhile, here or by another process,
  // means this report is not sent.
  if (!state_.telemetryEnabled()) {
    logger()->info("telemetry was disabled while the full report was being built: not sent");
    Delivery withheld;
    withheld.error = "telemetry was disabled while the report was being built";
    withheld.withheld = true;
    return withheld;
  }
  UsageSnapshot usage = currentUsage();
  Delivery delivery = deliver("full", source_.fullReport(usage, outcomes), stop, deadline, retries);
  if (delivery.delivered) {
    // unique-task-workers is a 24 h window, not a count that was used up by sending.
    usage.metrics.erase(usage.metrics.find(kUniqueTaskWorkers));
    state_.subtractUsage(usage);
  }
  return delivery;
}

std::optional<Delivery> ReportDispatcher::sendInitial(std::stop_token stop, Deadline deadline,
                                                      std::optional<int> retries) {
  if (auto problem = installationIdProblem(state_.installationId())) {
    return withoutInstallationId("initial", *problem);
  }
  if (!state_.claimInitialReport(StateStore::Clock::now(), initialClaimTtl(config_.telemetry))) {
    return std::nullopt;
  }
  Delivery delivery{};
  try {
    delivery = deliver("initial", source_.initialReport(), stop, deadline, retries);
  } catch (...) {
    state_.finishInitialReport(std::nullopt);
    throw;
  }
  state_.finishInitialReport(delivery.delivered ? std::optional(StateStore::Clock::now())
                                                : std::nullopt);
  return delivery;
}

Delivery ReportDispatcher::deliver(const std::string& kind, const Poco::JSON::Object::Ptr& report,
                                   std::stop_token stop, Deadline deadline,
                                   std::optional<int> retries) {
  const std::string payload = toJsonText(report, false);
  const std::string key = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  auto log = logger();
  const std::string& endpoint = redirect_ ? destination_ : config_.telemetry.endpoint;
  log->debug("sending {} report to {} (Idempotency-Key {}): {}", kind, endpoint, key, payload);
  Delivery delivery = redirect_ ? redirect_(kind, payload, key)
                                : sender_.send(payload, key, stop, deadline, retries);
  const auto at = StateStore::Clock::now();
  state_.recordSend({at, kind, delivery.httpStatus, delivery.error});
  try {
    audit_.append(at, kind, endpoint, key, delivery, payload);
  } catch (const std::exception& e) {
    log->error("could not append to the audit log: {}", e.what());
  }
  if (delivery.delivered && redirect_) {
    log->info("{} report written to {}", kind, endpoint);
  } else if (delivery.delivered) {
    log->info("{} report delivered to {} (HTTP {})", kind, endpoint, delivery.httpStatus);
  } else {
    log->warn("{} report not delivered to {} after {} attempt(s): {}{}", kind, endpoint,
              delivery.attempts, delivery.error,
              kind == "full" ? "; its counts stay for the next report" : "");
  }
  return delivery;
}

}  // namespace telemetry
