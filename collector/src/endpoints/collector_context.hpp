// What the request handlers share: built once at start, outlives the HTTP server.
#pragma once

#include <optional>

#include "abuse/client_address_resolver.hpp"
#include "abuse/rate_limiter.hpp"
#include "config/collector_config.hpp"
#include "dashboard/stats_cache.hpp"
#include "dedup/recent_reports.hpp"
#include "endpoints/collector_metrics.hpp"
#include "http/http_exchange.hpp"
#include "privacy/ip_key_ring.hpp"
#include "report/report_validator.hpp"
#include "spool/segment_ledger.hpp"
#include "spool/spool_drain.hpp"
#include "spool/spool_writer.hpp"
#include "store/report_store.hpp"

namespace telemetry::collector {

/// References only; the owner (CollectorServer) keeps every part alive.
struct CollectorContext {
  const CollectorConfig& config;
  const ReportValidator& validator;
  const IpKeyRing& ipKeys;
  const ClientAddressResolver& resolver;
  RateLimiter& rateLimiter;
  ReportStore& store;
  CollectorMetrics& metrics;
  StatsCache& stats;  // the dashboard's figures: read them here, not from the store
  // Intake: duplicates answered from memory, accepted reports spooled, drained behind.
  RecentReports& recent;
  SpoolWriter& spool;
  const SegmentLedger& spoolSegments;
  const SpoolDrain& drain;
};

/// The first check of every POST: hashes the sender's address (X-Forwarded-For only from
/// trusted proxies) under every kept key into `hashes`, then applies the rate limit;
/// returns the 429 (with Retry-After, counted) when the sender is over it.
std::optional<HttpResponse> screenSender(CollectorContext& context, const HttpRequest& head,
                                         IpKeyRing::Hashes& hashes);

}  // namespace telemetry::collector
