#include "dashboard/stats_cache.hpp"

namespace telemetry::collector {

StatsCache::StatsCache(Query query, Clock::duration usable)
    : query_(std::move(query)), usable_(usable) {}

std::shared_ptr<const CollectorStats> StatsCache::get() {
  {
    std::lock_guard lock(mutex_);
    if (querying_) return last_ && Clock::now() - lastAt_ < usable_ ? last_ : nullptr;
    querying_ = true;
  }
  std::shared_ptr<const CollectorStats> result;
  try {
    result = std::make_shared<const CollectorStats>(query_());
  } catch (...) {
    std::lock_guard lock(mutex_);
    querying_ = false;
    throw;
  }
  std::lock_guard lock(mutex_);
  querying_ = false;
  last_ = result;
  lastAt_ = Clock::now();
  return result;
}

}  // namespace telemetry::collector
