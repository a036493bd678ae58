// The figures shown on the dashboard and returned by GET /api/stats.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace telemetry::collector {

/// What GET /, /api/stats and /api/stats.csv were asked for: every figure is restricted to
/// installations whose current product version / edition is the given one (empty: all), and
/// the trends to days from..to (epoch days, UTC, inclusive; unset: the last 90 days).
struct StatsFilter {
  std::string version;
  std::string edition;
  std::optional<std::int64_t> fromDay;
  std::optional<std::int64_t> toDay;
};

/// Values over time: `periods` oldest first ("YYYY-MM-DD"; a week is named by its Monday),
/// and for each line its name and one value per period (0 where nothing was seen).
struct TimeSeries {
  std::vector<std::string> periods;
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> lines;
};

/// The dashboard's trends, all read from summaries kept by the store's writer.
struct CollectorTrends {
  TimeSeries active;            // one line "active": installations that reported that day
  TimeSeries activeByVersion;   // one line per product version (the largest, then "other")
  TimeSeries activeByDatabase;  // one line per database vendor (the largest, then "other")
  TimeSeries newPerWeek;        // one line "new": installations first seen that week
  TimeSeries optedIn;           // one line "opted-in": active installations opted in that day
};

/// Counts per installation use each installation's latest report, so an installation that
/// reports daily counts once.
struct CollectorStats {
  using Distribution = std::vector<std::pair<std::string, std::int64_t>>;  // largest first

  std::int64_t installations = 0;
  std::int64_t optedIn = 0;
  std::int64_t initialOnly = 0;
  std::int64_t reports = 0;
  Distribution versions;
  Distribution editions;
  Distribution databases;
  Distribution applicationServers;
  Distribution jdks;
  Distribution integrations;
  Distribution webapps;
  Distribution reportsPerDay;  // "YYYY-MM-DD", oldest first
  StatsFilter filter;          // what these figures were restricted to
  CollectorTrends trends;

  Poco::JSON::Object::Ptr toJson() const;
};

}  // namespace telemetry::collector
