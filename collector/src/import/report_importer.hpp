// Ingests offline report files into the store: `telemetry-collector import FILE...` and
// POST /imports. Each line is one report, decided on its own: stored, a duplicate, dropped
// (its installation was deleted on request) or refused with the reason; a report is never
// half stored, and importing a file again stores nothing twice (its Idempotency-Keys).
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "report/report_validator.hpp"
#include "store/report_store.hpp"

namespace telemetry::collector {

/// What became of one file's lines.
struct ImportSummary {
  struct Refusal {
    std::size_t line = 0;  ///< 0: the file as a whole (too many lines, unreadable)
    std::string reason;
  };
  std::size_t stored = 0;
  std::size_t duplicates = 0;
  std::size_t deleted = 0;  ///< dropped: the installation was deleted on request
  std::vector<Refusal> refused;
};

class ReportImporter {
 public:
  struct Limits {
    std::size_t maxLine = 64 * 1024 + 1024;  ///< max-body plus the line's own members
    std::size_t maxReports = 100000;         ///< lines read per file; the rest is refused
  };

  /// Both must outlive the importer.
  ReportImporter(ReportStore& store, const ReportValidator& validator, Limits limits);

  /// Reads `in` to its end (or to maxReports lines) and stores each valid line's report as
  /// POST /pings would, without an IP hash. Waits until every report is committed. Throws
  /// only what the store throws when it cannot be written.
  ImportSummary import(std::istream& in);

 private:
  ReportStore& store_;
  const ReportValidator& validator_;
  Limits limits_;
};

}  // namespace telemetry::collector
