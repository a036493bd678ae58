// The HTML of GET /: headline figures and one bar chart per distribution.
#pragma once

#include <string>

#include "store/collector_stats.hpp"

namespace telemetry::collector {

/// One self-contained page: inline CSS and SVG, no script, no CDN, no external asset.
class DashboardPage {
 public:
  static std::string render(const CollectorStats& stats);
};

}  // namespace telemetry::collector
