// The dashboard's figures, computed by one query at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>

#include "store/collector_stats.hpp"

namespace telemetry::collector {

/// GET / and /api/stats need no login, and one query on a large store takes seconds: many
/// parallel requests must not queue as many queries. At most one query runs at a time; the
/// requests that arrive meanwhile get the previous result if it is younger than `usable`,
/// else nothing (answered 503). A request with no query running always queries, so what it
/// shows is never older than the request. Thread-safe.
class StatsCache {
 public:
  using Query = std::function<CollectorStats()>;
  using Clock = std::chrono::steady_clock;

  explicit StatsCache(Query query, Clock::duration usable = std::chrono::seconds(60));

  /// The figures, or null when another call's query runs and no result younger than
  /// `usable` is at hand. Runs the query on the calling thread when it is the one to; its
  /// exception goes to that caller.
  std::shared_ptr<const CollectorStats> get();

 private:
  Query query_;
  Clock::duration usable_;
  std::mutex mutex_;
  std::shared_ptr<const CollectorStats> last_;
  Clock::time_point lastAt_{};
  bool querying_ = false;
};

}  // namespace telemetry::collector
