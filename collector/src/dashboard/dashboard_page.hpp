// The HTML of GET /: headline figures, trends, one bar chart per distribution, a filter form.
#pragma once

#include <string>
#include <string_view>

#include "store/collector_stats.hpp"

namespace telemetry::collector {

/// One self-contained page: inline CSS and SVG, no script, no CDN, no external asset;
/// readable at phone width (the charts scale with the page).
class DashboardPage {
 public:
  /// The figures for `stats.filter`, with a GET form to change it and links to the same
  /// figures as JSON and CSV.
  static std::string render(const CollectorStats& stats);
  /// The page for a refused query string: the reason and a link back to the unfiltered page.
  static std::string renderRefusal(std::string_view reason);
  /// The opted-in share of the active installations per period, in whole percent (halves
  /// up), from trends.optedIn and trends.active.
  static TimeSeries optedInShare(const CollectorTrends& trends);
};

}  // namespace telemetry::collector
