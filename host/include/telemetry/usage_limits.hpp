// How much a UsageRegistry may hold, so that a buggy caller cannot grow memory without
// bound.
#pragma once

#include <cstddef>

namespace telemetry {

/// Longest command name or task-worker id kept as given; longer ones are not stored.
inline constexpr std::size_t kMaxUsageNameLength = 255;

/// The bounds of one UsageRegistry.
struct UsageLimits {
  /// Distinct command names; further names are counted as "other".
  std::size_t commandNames = 1000;
  /// Distinct task-worker ids kept between two drains; further ids are only counted.
  std::size_t workerIds = 100000;
};

}  // namespace telemetry
