// The knobs of an embedded Host and of the parts it owns (sender, reporter, state store);
// the defaults are the production values, tests shrink them.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>

#include "telemetry/usage_limits.hpp"

namespace telemetry {

/// Tunables that tests shrink; production uses the defaults.
struct SenderOptions {
  /// The first retry waits 1-3 times this; each later one up to three times the previous
  /// wait (decorrelated jitter).
  std::chrono::milliseconds initialBackoff{1000};
  /// No retry waits longer; a Retry-After above it ends the delivery instead.
  std::chrono::milliseconds maxBackoff{60000};
};

/// Where the reporter is in its schedule: what `telemetry run` carries across the process
/// image it hibernates in (see hibernation.hpp), so a resumed reporter neither repeats nor
/// postpones anything.
struct ReporterSchedule {
  std::chrono::system_clock::time_point nextFull;
  /// The growing wait after failed deliveries (0: the last one was delivered).
  std::chrono::milliseconds fullRetryDelay{0};
  /// The next try of the initial report when it is still owed and a try failed.
  std::optional<std::chrono::system_clock::time_point> nextInitialTry;
  std::chrono::milliseconds initialRetryDelay{0};

  /// The first of the next full report and the next initial-report try.
  std::chrono::system_clock::time_point nextDue() const {
    return nextInitialTry ? std::min(nextFull, *nextInitialTry) : nextFull;
  }
  bool operator==(const ReporterSchedule&) const = default;
};

struct ReporterOptions {
  /// How often in-memory counts are written to the store (what kill -9 can lose); unset:
  /// `usage.checkpoint-interval`.
  std::optional<std::chrono::milliseconds> checkpointInterval;
  /// Each scheduled send moves by a random amount within this share of the period, half
  /// earlier and half later (+-2.5 %), so a fleet started together does not report in the
  /// same second while the mean interval stays the period.
  double jitter = 0.05;
  /// Uniform in [0, 1): the jitter's randomness (tests inject their own).
  std::function<double()> random;
  /// After a failed delivery the next try comes after this, doubling up to the period.
  std::chrono::milliseconds firstRetryDelay{60000};
  /// Continue this schedule instead of starting one (no delay after start).
  std::optional<ReporterSchedule> resume;
  /// Called on the reporter thread, as it goes to sleep, when nothing but checkpoints is
  /// due for at least idleThreshold (`telemetry run` then hibernates). Must not block.
  std::function<void()> onIdle;
  std::chrono::milliseconds idleThreshold{0};
};

/// Whether opening may create a missing SQLite store. Read-only commands (status, report)
/// must leave nothing behind, so they get a new store in memory instead.
enum class StoreOpening { createIfMissing, inMemoryIfMissing };

/// Knobs for tests and embedders; the defaults are the production values.
struct HostOptions {
  SenderOptions sender;
  ReporterOptions reporter;
  UsageLimits usage;
  /// inMemoryIfMissing for a read-only caller (`telemetry report`): it creates no store.
  StoreOpening stateOpening = StoreOpening::createIfMissing;
};

}  // namespace telemetry
