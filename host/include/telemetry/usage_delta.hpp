// What a UsageRegistry counted between two drains: the unit the reporter moves into the
// state store, and gives back when storing it failed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "telemetry/usage_snapshot.hpp"

namespace telemetry {

/// Usage counted since the last drain of a UsageRegistry.
struct UsageDelta {
  /// Commands and metrics counted; only names with a non-zero count are present.
  UsageSnapshot counts;
  /// Distinct task-worker ids seen, in first-seen order.
  std::vector<std::string> workers;
  /// Sightings of ids beyond UsageLimits::workerIds, not kept (repeats counted each time).
  std::uint64_t droppedWorkers = 0;

  bool empty() const noexcept {
    return counts.commands.empty() && counts.metrics.empty() && workers.empty() &&
           droppedWorkers == 0;
  }
};

}  // namespace telemetry
