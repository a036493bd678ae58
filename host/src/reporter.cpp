#include "telemetry/reporter.hpp"

#include <algorithm>
#include <random>

#include "telemetry/logging.hpp"

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

Reporter::Reporter(const Config& config, StateStore& state, ReportDispatcher& dispatcher,
                   Checkpoint checkpoint, ReporterOptions options)
    : config_(config),
      state_(state),
      dispatcher_(dispatcher),
      checkpoint_(std::move(checkpoint)),
      options_(options) {}

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
    } else {
      nextFull_ = firstFullReport();
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
    if (!asleep_ || nextWorkLocked() - Clock::now() < minIdle) return std::nullopt;
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
  return next;
}

Reporter::Clock::time_point Reporter::firstFullReport() {
  const milliseconds period = config_.telemetry.reportingPeriod;
  milliseconds delay = period;
  // The period counts from the last delivered report, stored, so restarts neither reset
  // nor skip it.
  if (auto last = state_.lastFullReportDelivered()) {
    auto since = std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now() - *last);
    delay = std::max(period - since, std::min(period, kMinimumDelayAfterStart));
  }
  return Clock::now() + delay + jittered(period);
}

milliseconds Reporter::jittered(milliseconds period) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  const auto most =
      static_cast<std::int64_t>(static_cast<double>(period.count()) * options_.jitter);
  if (most <= 0) return milliseconds(0);
  return milliseconds(std::uniform_int_distribution<std::int64_t>(0, most)(random));
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
  if (!initialDone_ && (!nextInitialTry_ || now >= *nextInitialTry_)) tryInitialReport(stop);
  const bool enabled = state_.telemetryEnabled();
  Clock::time_point due;
  {
    std::lock_guard lock(mutex_);
    due = *nextFull_;
  }
  if (Clock::now() >= due && !stop.stop_requested()) {
    if (enabled) {
      tryFullReport(stop);
    } else {
      // Skipped while disabled: the schedule moves on by one period.
      std::lock_guard lock(mutex_);
      nextFull_ = Clock::now() + config_.telemetry.reportingPeriod;
    }
  }

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
  if (delivery ? delivery->delivered : state_.initialReportSentAt().has_value()) {
    initialDone_ = true;
    return;
  }
  // Not delivered, or another node is sending it right now: look again later.
  nextInitialTry_ = Clock::now() + nextRetryDelay(initialRetryDelay_);
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
    // Disabled while the probes ran: skipped as while disabled, not a failure to back off.
    nextFull_ = Clock::now() + period;
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
  if (mayIdle && options_.onIdle && nextWorkLocked() - Clock::now() >= options_.idleThreshold) {
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
