// What the request handlers share: built once at start, outlives the HTTP server.
#pragma once

#include "ClientAddressResolver.hpp"
#include "CollectorConfig.hpp"
#include "CollectorMetrics.hpp"
#include "IpHasher.hpp"
#include "RateLimiter.hpp"
#include "ReportStore.hpp"
#include "ReportValidator.hpp"
#include "StatsCache.hpp"

namespace telemetry::collector {

/// References only; the owner (CollectorServer) keeps every part alive.
struct CollectorContext {
  const CollectorConfig& config;
  const ReportValidator& validator;
  const IpHasher& hasher;
  const ClientAddressResolver& resolver;
  RateLimiter& rateLimiter;
  ReportStore& store;
  CollectorMetrics& metrics;
  StatsCache& stats;  // the dashboard's figures: read them here, not from the store
};

}  // namespace telemetry::collector
