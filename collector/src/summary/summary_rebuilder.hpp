// Builds every summary table anew from the stored reports: `telemetry-collector
// rebuild-summaries`, and the migration that adds the summaries to an existing store.
#pragma once

#include <functional>
#include <string>

#include "sql/sql_runner.hpp"

namespace telemetry::collector {

/// Runs inside the caller's write transaction; the result equals what SummaryWriter would
/// have kept had it seen every stored report (docs/collector.md, "Summaries").
class SummaryRebuilder {
 public:
  using Progress = std::function<void(const std::string& step)>;

  /// Empties the summaries and fills them from the reports, telling `progress` (may be
  /// empty) after each table.
  static void rebuild(SqlRunner& runner, const Progress& progress = {});
  /// Empties the tables summed over versions and editions and fills them from the
  /// per-version summaries (no report is read); rebuild() ends with it.
  static void rebuildTotals(SqlRunner& runner, const Progress& progress = {});
};

}  // namespace telemetry::collector
