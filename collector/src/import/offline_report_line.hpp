// One line of an offline report file: {"kind": "initial"|"full", "idempotency-key": KEY,
// "report": {...}} (host/src/offline/offline_report_file.hpp writes it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "report/received_report.hpp"
#include "report/report_validator.hpp"

namespace telemetry::collector {

class OfflineReportLine {
 public:
  /// The report as the store takes it: parsed as POST /pings parses a body (ReportDocument:
  /// valid UTF-8, no NUL, no repeated member, bounded depth), validated against the schema,
  /// with the line's Idempotency-Key and no IP hash at all (empty). nullopt and `problem`
  /// (one line of text) when the line is not such a report. Never throws but bad_alloc.
  static std::optional<ReceivedReport> parse(std::string_view line,
                                             const ReportValidator& validator,
                                             std::int64_t receivedAt, std::string& problem);
};

}  // namespace telemetry::collector
