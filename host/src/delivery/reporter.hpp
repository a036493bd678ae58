// The reporter thread of the spec: sends the initial report once, then the full report
// once per reporting period while telemetry is enabled, checkpoints counts, and sends
// the final report on stop. Nothing it does can throw into the embedding product.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "delivery/deletion_dispatcher.hpp"
#include "delivery/report_dispatcher.hpp"
#include "telemetry/host_options.hpp"

namespace telemetry {

/// The random shift of one scheduled report for `uniform` in [0, 1): from -share/2 to
/// +share/2 of the period, so that its mean is 0.
std::chrono::milliseconds scheduleJitter(std::chrono::milliseconds period, double share,
                                         double uniform);

class Reporter {
 public:
  using Clock = std::chrono::steady_clock;
  /// Moves in-memory counts into the store; called every checkpoint and before each send.
  using Checkpoint = std::function<void()>;

  /// With `deletions`, each round also sends the deletion requests pending in the store
  /// (also while disabled: they are the one thing sent then), retried with back-off.
  Reporter(const Config& config, StateStore& state, ReportDispatcher& dispatcher,
           Checkpoint checkpoint, ReporterOptions options = {},
           DeletionDispatcher* deletions = nullptr);
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

  /// Stops the thread without a final report and returns its schedule, if the thread is
  /// asleep with nothing but checkpoints due for at least `minIdle`; else changes nothing
  /// and returns nullopt. The caller checkpoints. Call from another thread.
  std::optional<ReporterSchedule> suspend(std::chrono::milliseconds minIdle);

 private:
  void run(std::stop_token stop);
  void runOnce(std::stop_token stop);
  void tryInitialReport(std::stop_token stop);
  void tryFullReport(std::stop_token stop);
  void tryDeletions(std::stop_token stop);
  void finalReport();
  /// After start or enable: 1-2 minutes (at most 1-2 periods) later, or a period after
  /// the last delivered full report when that is later.
  Clock::time_point firstFullReport();
  std::chrono::milliseconds jittered(std::chrono::milliseconds period);
  double uniform();
  /// Writes the planned next full report to the store, for `telemetry status`.
  void publishPlan(bool enabled);
  std::chrono::milliseconds nextRetryDelay(std::chrono::milliseconds& delay) const;
  std::chrono::milliseconds checkpointInterval() const;
  /// Sleeps until `until`, a wake() or stop; with mayIdle, tells onIdle when idle enough.
  void waitUntil(Clock::time_point until, std::stop_token stop, bool mayIdle = false);
  /// The next time anything but a checkpoint is due. Holds mutex_.
  Clock::time_point nextWorkLocked() const;

  const Config& config_;
  StateStore& state_;
  ReportDispatcher& dispatcher_;
  Checkpoint checkpoint_;
  ReporterOptions options_;
  DeletionDispatcher* deletions_;

  mutable std::mutex mutex_;
  std::condition_variable_any wakeup_;
  bool woken_ = false;
  bool asleep_ = false;     ///< in waitUntil
  bool suspended_ = false;  ///< stopped by suspend(): no final report
  Clock::time_point stopDeadline_{};
  std::optional<Clock::time_point> nextFull_;
  std::optional<Clock::time_point> nextInitialTry_;
  std::chrono::milliseconds initialRetryDelay_{0};
  std::chrono::milliseconds fullRetryDelay_{0};
  Clock::time_point nextCheckpoint_{};
  bool initialDone_ = false;
  bool deletionsPending_ = false;  ///< at the last look; keeps the daemon from hibernating
  std::optional<Clock::time_point> nextDeletionTry_;
  std::chrono::milliseconds deletionRetryDelay_{0};
  bool enabledBefore_ = false;  ///< at the last look: a switch to enabled reschedules
  std::optional<Clock::time_point> publishedPlan_;
  bool planPublished_ = false;
  std::jthread thread_;
};

}  // namespace telemetry
