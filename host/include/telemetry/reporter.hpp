// The reporter thread of the spec: sends the initial report once, then the full report
// once per reporting period while telemetry is enabled, checkpoints counts, and sends
// the final report on stop. Nothing it does can throw into the embedding product.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "telemetry/report_dispatcher.hpp"

namespace telemetry {

struct ReporterOptions {
  /// How often in-memory counts are written to the store (what kill -9 can lose).
  std::chrono::milliseconds checkpointInterval{60000};
  /// Each scheduled send moves by a random amount up to this share of the period, so a
  /// fleet started together does not report in the same second.
  double jitter = 0.05;
  /// After a failed delivery the next try comes after this, doubling up to the period.
  std::chrono::milliseconds firstRetryDelay{60000};
};

class Reporter {
 public:
  using Clock = std::chrono::steady_clock;
  /// Moves in-memory counts into the store; called every checkpoint and before each send.
  using Checkpoint = std::function<void()>;

  Reporter(const Config& config, StateStore& state, ReportDispatcher& dispatcher,
           Checkpoint checkpoint, ReporterOptions options = {});
  /// Stops without a final report if stop() was not called.
  ~Reporter();
  Reporter(const Reporter&) = delete;
  Reporter& operator=(const Reporter&) = delete;

  /// Starts the thread. Call once.
  void start();
  /// Sends the final report (if enabled) within request-timeout, then joins the thread.
  void stop();
  /// Re-reads the opt-in switch at once (after enable/disable).
  void wake();

  /// When the next full report is due; nullopt when none is scheduled (disabled).
  std::optional<std::chrono::system_clock::time_point> nextFullReport() const;

 private:
  void run(std::stop_token stop);
  void runOnce(std::stop_token stop);
  void tryInitialReport(std::stop_token stop);
  void tryFullReport(std::stop_token stop);
  void finalReport();
  Clock::time_point firstFullReport();
  std::chrono::milliseconds jittered(std::chrono::milliseconds period);
  std::chrono::milliseconds nextRetryDelay(std::chrono::milliseconds& delay) const;
  void waitUntil(Clock::time_point until, std::stop_token stop);

  const Config& config_;
  StateStore& state_;
  ReportDispatcher& dispatcher_;
  Checkpoint checkpoint_;
  ReporterOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable_any wakeup_;
  bool woken_ = false;
  Clock::time_point stopDeadline_{};
  std::optional<Clock::time_point> nextFull_;
  std::optional<Clock::time_point> nextInitialTry_;
  std::chrono::milliseconds initialRetryDelay_{0};
  std::chrono::milliseconds fullRetryDelay_{0};
  Clock::time_point nextCheckpoint_{};
  bool initialDone_ = false;
  std::jthread thread_;
};

}  // namespace telemetry
