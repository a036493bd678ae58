// The dashboard's figures, computed by one query at a time.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>

#include "store/collector_stats.hpp"

namespace telemetry::collector {

/// GET /, /api/stats and /api/stats.csv need no login, and one query on a large store may
/// take seconds: many parallel requests must not queue as many queries. At most one query
/// runs at a time, whatever its filter; the requests that arrive meanwhile get the previous
/// result for their filter if it is younger than `usable`, else nothing (answered 503). A
/// request with no query running always queries, so what it shows is never older than the
/// request. Results are kept for the `capacity` filters asked for last, so distinct query
/// strings cannot fill memory. Thread-safe.
class StatsCache {
 public:
  using Query = std::function<CollectorStats(const StatsFilter&)>;
  using Clock = std::chrono::steady_clock;

  explicit StatsCache(Query query, Clock::duration usable = std::chrono::seconds(60),
                      std::size_t capacity = 16);

  /// The figures for `filter`, or null when another call's query runs and no result for
  /// `filter` younger than `usable` is at hand. Runs the query on the calling thread when it
  /// is the one to; its exception goes to that caller.
  std::shared_ptr<const CollectorStats> get(const StatsFilter& filter);

 private:
  struct Entry {
    StatsFilter filter;
    std::shared_ptr<const CollectorStats> stats;
    Clock::time_point at;
  };

  std::list<Entry>::iterator find(const StatsFilter& filter);

  Query query_;
  Clock::duration usable_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::list<Entry> entries_;  // most recently stored first
  bool querying_ = false;
};

}  // namespace telemetry::collector
