// A line chart of a TimeSeries as inline SVG, drawn on the server so the page needs no script.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "store/collector_stats.hpp"

namespace telemetry::collector {

/// One figure: the chart (role=img, <title>, aria-label; scales with the page through its
/// viewBox), a legend, and the values as a table in <details>. Each line has its own dash
/// pattern and marker shape as well as colour, repeated in the legend, so the chart reads
/// without colour. Every name and period is escaped: line names are sender-chosen.
class SvgLineChart {
 public:
  static constexpr std::size_t kMaxLines = 6;

  /// `id` names the figure element (our own word); `unit` follows each value in the table
  /// and on the axis (" %", say). Lines after the first `maxLines`, and a line named
  /// "other", are summed into one last line "other".
  static std::string render(std::string_view id, std::string_view title, const TimeSeries& series,
                            std::string_view unit = "", std::size_t maxLines = kMaxLines);
};

}  // namespace telemetry::collector
