// The five metrics of the spec as an enum, for callers that count them on a hot path.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "telemetry/usage_snapshot.hpp"

namespace telemetry {

/// One of the five metrics, in the order of kMetricNames.
enum class Metric : std::size_t {
  rootProcessInstanceStart,
  activityInstanceStart,
  executedDecisionInstances,
  executedDecisionElements,
  uniqueTaskWorkers,
  // The spellings of TelemetryHost 1.0, kept for embedders until the SDK's next major.
  RootProcessInstanceStart = rootProcessInstanceStart,
  ActivityInstanceStart = activityInstanceStart,
  ExecutedDecisionInstances = executedDecisionInstances,
  ExecutedDecisionElements = executedDecisionElements,
  UniqueTaskWorkers = uniqueTaskWorkers,
};

inline constexpr std::size_t kMetricCount = kMetricNames.size();
static_assert(static_cast<std::size_t>(Metric::uniqueTaskWorkers) + 1 == kMetricCount);

/// The report name of a metric, e.g. "activity-instance-start".
constexpr std::string_view metricName(Metric metric) noexcept {
  return kMetricNames[static_cast<std::size_t>(metric)];
}

/// The metric of a report name; nullopt for any other name.
constexpr std::optional<Metric> metricFromName(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kMetricCount; ++i) {
    if (kMetricNames[i] == name) return static_cast<Metric>(i);
  }
  return std::nullopt;
}

}  // namespace telemetry
