// GET /api/stats.csv: the dashboard's figures as one table for spreadsheets.
#pragma once

#include <string>
#include <string_view>

#include "store/collector_stats.hpp"

namespace telemetry::collector {

/// Long format, one figure value a row: `figure,period,name,value` under a header row, CRLF
/// line ends (RFC 4180), so a pivot table or a filter on `figure` gives any chart. Totals and
/// distributions have an empty period; days are "YYYY-MM-DD", weeks their Monday.
class StatsCsv {
 public:
  static std::string render(const CollectorStats& stats);
  /// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF (quotes doubled).
  /// A text starting with = + - @ TAB or CR gets a leading apostrophe first, so a sender's
  /// version string cannot become a spreadsheet formula.
  static std::string cell(std::string_view text);
};

}  // namespace telemetry::collector
