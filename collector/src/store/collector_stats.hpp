// The figures shown on the dashboard and returned by GET /api/stats.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace telemetry::collector {

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

  Poco::JSON::Object::Ptr toJson() const;
};

}  // namespace telemetry::collector
