// The usage counts that go into one report.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace telemetry {

/// The five metrics of the spec, always present in a full report, in report order.
inline constexpr std::array<std::string_view, 5> kMetricNames = {
    "root-process-instance-start", "activity-instance-start", "executed-decision-instances",
    "executed-decision-elements", "unique-task-workers"};

struct UsageSnapshot {
  std::map<std::string, std::uint64_t> commands;
  std::map<std::string, std::uint64_t, std::less<>> metrics;  ///< missing metric = 0
};

}  // namespace telemetry
