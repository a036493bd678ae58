// A horizontal bar chart as inline SVG, drawn on the server so the page needs no script.
#pragma once

#include <string>
#include <string_view>

#include "store/collector_stats.hpp"

namespace telemetry::collector {

/// Renders one distribution; labels are escaped, so sender-chosen strings are safe.
class SvgBarChart {
 public:
  /// At most `maxBars` bars, largest first as given; the rest are summed into "other".
  static std::string render(const std::string& title, const CollectorStats::Distribution& values,
                            std::size_t maxBars = 10);
  /// Escapes &, <, >, " and ' for HTML and XML text and attributes.
  static std::string escapeXml(std::string_view text);
};

}  // namespace telemetry::collector
