#include "delivery/reporter.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "config/logging.hpp"

namespace telemetry {
namespace {

using std::chrono::milliseconds;

// However long the period, a restarted host waits this long before an overdue report, so
// a crash loop does not become a report loop.
constexpr milliseconds kMinimumDelayAfterStart{60000};

// The schedule runs on the steady clock; across process images it travels as wall time.
std::chrono::system_clock::time_point toSystem(Reporter::Clock::time_point at) {
  return std::chrono::system_clock::now() +
         std::chrono::duration_cast<std::chrono::system_clock::duration>(at -
                                                                         Reporter::Clock::now());
}

Reporter::Clock::time_point toSteady(std::chrono::system_clock::time_point at) {
  return Reporter::Clock::now() + std::chrono::duration_cast<Reporter::Clock::duration>(
                                      at - std::chrono::system_clock::now());
}

}  // namespace

milliseconds scheduleJitter(milliseconds period, double share, double uniform) {
  const double width = static_cast<double>(period.count()) * std::max(share, 0.0);
  return milliseconds(static_cast<std::int64_t>(std::floor(width * (uniform - 0.5))));
}

Reporter::Reporter(const Config& config, StateStore& state, ReportDispatcher& dispatcher,
                   Checkpoint checkpoint, ReporterOptions options, DeletionDispatcher* deletions)
    : config_(config),
      state_(state),
      dispatcher_(dispatcher),
      checkpoint_(std::move(checkpoint)),
      options_(options),
      deletions_(deletions) {}

Reporter::~Reporter() {
  if (thread_.joinable()) {
    // Without stop() there is no final report: a plain request_stop() leaves run()'s loop
    // and the deadline is already over.
    {
      std::lock_guard lock(mutex_);
      stopDeadline_ = Clock::now();
    }
    thread_.request_stop();
    wakeup_.notify_all();
    thread_.join();
  }
}

void Reporter::start() {
  {
    std::lock_guard lock(mutex_);
    nextCheckpoint_ = Clock::now() + checkpointInterval();
    if (const auto& resume = options_.resume) {
      nextFull_ = toSteady(resume->nextFull);
      fullRetryDelay_ = resume->fullRetryDelay;
      if (resume->nextInitialTry) nextInitialTry_ = toSteady(*resume->nextInitialTry);
      initialRetryDelay_ = resume->initialRetryDelay;
      enabledBefore_ = true;  // what was due while it hibernated is due now
    } else {
      nextFull_ = firstFullReport();
      enabledBefore_ = state_.telemetryEnabled();
    }
  }
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void Reporter::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    stopDeadline_ = Clock::now() + config_.telemetry.requestTimeout;
  }
  thread_.request_stop();
  wakeup_.notify_all();
  thread_.join();
  try {
    state_.planFullReport(std::nullopt);  // no reporter runs: nothing is planned any more
  } catch (const std::exception& e) {
    logger()->warn("could not clear the planned report in the state store: {}", e.what());
  }
}

void Reporter::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeup_.notify_all();
}

std::optional<std::chrono::system_clock::time_point> Reporter::nextFullReport() const {
  std::lock_guard lock(mutex_);
  if (!nextFull_) return std::nullopt;
  return toSystem(*nextFull_);
}

std::optional<ReporterSchedule> Reporter::suspend(milliseconds minIdle) {
  if (!thread_.joinable()) return std::nullopt;
  {
    std::lock_guard lock(mutex_);
    // The schedule it carries has no place for a deletion request's retry: stay resident.
    if (!asleep_ || deletionsPending_ || nextWorkLocked() - Clock::now() < minIdle) {
      return std::nullopt;
    }
    suspended_ = true;
  }
  thread_.request_stop();
  wakeup_.notify_all();
  thread_.join();
  std::lock_guard lock(mutex_);
  ReporterSchedule schedule{toSystem(*nextFull_), fullRetryDelay_, std::nullopt,
                            initialRetryDelay_};
  if (!initialDone_ && nextInitialTry_) schedule.nextInitialTry = toSystem(*nextInitialTry_);
  return schedule;
}

milliseconds Reporter::checkpointInterval() const {
  return options_.checkpointInterval.value_or(config_.usage.checkpointInterval);
}

Reporter::Clock::time_point Reporter::nextWorkLocked() const {
  Clock::time_point next = *nextFull_;
  // Owed and never tried, the initial report is due at once.
  if (!initialDone_) next = std::min(next, nextInitialTry_.value_or(Clock::now()));
  if (deletionsPending_) next = std::min(next, nextDeletionTry_.value_or(Clock::now()));
  return next;
}

Reporter::Clock::time_point Reporter::firstFullReport() {
  const milliseconds period = config_.telemetry.reportingPeriod;
  // A short wait, spread at random, so that a fleet started together does not report in
  // one second, and a crash loop never becomes a report loop.
  const milliseconds least = std::min(period, kMinimumDelayAfterStart);
  milliseconds delay =
      least +
      milliseconds(static_cast<std::int64_t>(static_cast<double>(least.count()) * uniform()));
  // The period counts from the last delivered report, stored, so restarts neither reset
  // nor skip it.
  if (auto last = state_.lastFullReportDelivered()) {
    auto since = std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now() - *last);
    delay = std::max(period - since + jittered(period), delay);
  }
  return Clock::now() + delay;
}

double Reporter::uniform() {
  if (options_.random) return std::clamp(options_.random(), 0.0, 1.0);
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(random);
}

milliseconds Reporter::jittered(milliseconds period) {
  return scheduleJitter(period, options_.jitter, uniform());
}

void Reporter::publishPlan(bool enabled) {
  std::optional<Clock::time_point> plan;
  if (enabled) {
    std::lock_guard lock(mutex_);
    plan = nextFull_;
  }
  if (planPublished_ && plan == publishedPlan_) return;
  state_.planFullReport(plan ? std::optional(toSystem(*plan)) : std::nullopt);
  publishedPlan_ = plan;
  planPublished_ = true;
}

void Reporter::run(std::stop_token stop) {
  auto log = logger();
  log->debug("reporter started; reporting period {} ms", config_.telemetry.reportingPeriod.count());
  while (!stop.stop_requested()) {
    try {
      runOnce(stop);
    } catch (const std::exception& e) {
      // The store or a probe failed in a way nobody handled: report, back off, go on.
      log->error("reporter: {}; trying again in a minute", e.what());
      waitUntil(Clock::now() + std::min(config_.telemetry.reportingPeriod, kMinimumDelayAfterStart),
                stop);
    } catch (...) {
      log->error("reporter: unknown error; trying again in a minute");
      waitUntil(Clock::now() + std::min(config_.telemetry.reportingPeriod, kMinimumDelayAfterStart),
                stop);
    }
  }
  bool suspended = false;
  {
    std::lock_guard lock(mutex_);
    suspended = suspended_;
  }
  if (!suspended) finalReport();
  log->debug("reporter stopped");
}

void Reporter::runOnce(std::stop_token stop) {
  auto now = Clock::now();
  if (now >= nextCheckpoint_) {
    checkpoint_();
    nextCheckpoint_ = now + checkpointInterval();
  }
  // Before anything else, and also while disabled: the one request sent then.
  if (deletions_ && !stop.stop_requested()) {
    const bool pending = !state_.pendingDeletions().empty();
    bool due = false;
    {
      std::lock_guard lock(mutex_);
      if (pending && !deletionsPending_) nextDeletionTry_.reset();  // new: at once
      deletionsPending_ = pending;
      due = pending && (!nextDeletionTry_ || now >= *nextDeletionTry_);
    }
    if (due) tryDeletions(stop);
  }
  const bool enabled = state_.telemetryEnabled();
  if (enabled && !enabledBefore_) {
    // Just enabled (here or by another process): the first report comes soon, not a
    // whole period later.
    auto first = firstFullReport();
    std::lock_guard lock(mutex_);
    nextFull_ = first;
  }
  enabledBefore_ = enabled;
  Clock::time_point due;
  {
    std::lock_guard lock(mutex_);
    due = *nextFull_;
  }
  const bool fullDue = Clock::now() >= due && !stop.stop_requested();
  // The owed initial report goes first, also when a full report is due before its retry.
  if (!initialDone_ && (!nextInitialTry_ || now >= *nextInitialTry_ || (fullDue && enabled))) {
    tryInitialReport(stop);
  }
  if (fullDue) {
    if (!enabled) {
      // Skipped while disabled: the schedule moves on by one period.
      logger()->debug("full report due, but telemetry is disabled: skipped");
      std::lock_guard lock(mutex_);
      nextFull_ = Clock::now() + config_.telemetry.reportingPeriod;
    } else if (!initialDone_) {
      logger()->debug("full report waits for the initial report, which goes first");
      std::lock_guard lock(mutex_);
      nextFull_ = std::max(due, nextInitialTry_.value_or(Clock::now()));
    } else {
      tryFullReport(stop);
    }
  }
  publishPlan(enabled);

  // Wake for the next checkpoint, the next initial-report try, or the next period; the
  // last two also notice a switch flipped by another process (`telemetry enable`).
  Clock::time_point until;
  {
    std::lock_guard lock(mutex_);
    until = std::min(nextCheckpoint_, nextWorkLocked());
  }
  waitUntil(until, stop, true);
}

void Reporter::tryInitialReport(std::stop_token stop) {
  std::optional<Delivery> delivery = dispatcher_.sendInitial(stop);
  if (delivery ? delivery->delivered : state_.initialReportSettled()) {
    initialDone_ = true;
    return;
  }
  if (!delivery) {
    logger()->debug(
        "initial report: not sent by this process (delivered before, or another "
        "process is sending it)");
  }
  // Not delivered, or another node is sending it right now: look again later.
  nextInitialTry_ = Clock::now() + nextRetryDelay(initialRetryDelay_);
}

void Reporter::tryDeletions(std::stop_token stop) {
  const DeletionRound round = deletions_->sendPending(stop);
  std::lock_guard lock(mutex_);
  if (round.acknowledged == round.pending) {
    deletionsPending_ = false;
    nextDeletionTry_.reset();
    deletionRetryDelay_ = milliseconds(0);
  } else {
    nextDeletionTry_ = Clock::now() + nextRetryDelay(deletionRetryDelay_);
  }
}

milliseconds Reporter::nextRetryDelay(milliseconds& delay) const {
  // Like collectd's read interval: each failure doubles the wait, up to one period.
  const milliseconds period = config_.telemetry.reportingPeriod;
  delay = delay.count() == 0 ? options_.firstRetryDelay : delay * 2;
  delay = std::min(delay, period);
  return delay;
}

void Reporter::tryFullReport(std::stop_token stop) {
  checkpoint_();
  Delivery delivery = dispatcher_.sendFull(stop);
  const milliseconds period = config_.telemetry.reportingPeriod;
  std::lock_guard lock(mutex_);
  if (delivery.withheld) {
    // Disabled while the probes ran (or no valid installation id): skipped as while
    // disabled, not a failure to back off.
    nextFull_ = Clock::now() + period;
  } else if (delivery.refused) {
    // Refused for good: the same report a minute later would be refused again. Its counts
    // stay stored; status and the audit log show the collector's reason.
    fullRetryDelay_ = milliseconds(0);
    nextFull_ = Clock::now() + period + jittered(period);
  } else if (delivery.delivered) {
    fullRetryDelay_ = milliseconds(0);
    nextFull_ = Clock::now() + period + jittered(period);
  } else {
    nextFull_ = Clock::now() + nextRetryDelay(fullRetryDelay_);
  }
}

void Reporter::finalReport() {
  auto log = logger();
  try {
    checkpoint_();
    Clock::time_point deadline;
    {
      std::lock_guard lock(mutex_);
      deadline = stopDeadline_;
    }
    if (!state_.telemetryEnabled()) return;
    if (Clock::now() >= deadline) {
      log->warn("no time left for the final report; its counts stay stored for the next run");
      return;
    }
    if (!initialDone_ && !state_.initialReportSettled()) {
      // The initial report always goes first, also on the way out.
      auto initial = dispatcher_.sendInitial({}, deadline);
      if (!initial || !initial->delivered) {
        log->warn("the initial report is still owed: no final report; its counts stay stored");
        return;
      }
    }
    dispatcher_.sendFull({}, deadline, std::nullopt, true);
  } catch (const std::exception& e) {
    log->error("final report: {}", e.what());
  } catch (...) {
    log->error("final report: unknown error");
  }
}

void Reporter::waitUntil(Clock::time_point until, std::stop_token stop, bool mayIdle) {
  std::unique_lock lock(mutex_);
  asleep_ = true;
  if (mayIdle && options_.onIdle && !deletionsPending_ &&
      nextWorkLocked() - Clock::now() >= options_.idleThreshold) {
    try {
      options_.onIdle();
    } catch (...) {
      // Hibernating is an optimisation: the reporter goes on without it.
    }
  }
  wakeup_.wait_until(lock, stop, until, [this] { return woken_; });
  asleep_ = false;
  woken_ = false;
}

}  // namespace telemetry
