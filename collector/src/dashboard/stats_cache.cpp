#include "dashboard/stats_cache.hpp"

#include <algorithm>

namespace telemetry::collector {
namespace {

bool same(const StatsFilter& a, const StatsFilter& b) {
  return a.version == b.version && a.edition == b.edition && a.fromDay == b.fromDay &&
         a.toDay == b.toDay;
}

}  // namespace

StatsCache::StatsCache(Query query, Clock::duration usable, std::size_t capacity)
    : query_(std::move(query)), usable_(usable), capacity_(std::max<std::size_t>(capacity, 1)) {}

std::list<StatsCache::Entry>::iterator StatsCache::find(const StatsFilter& filter) {
  return std::find_if(entries_.begin(), entries_.end(),
                      [&](const Entry& entry) { return same(entry.filter, filter); });
}

std::shared_ptr<const CollectorStats> StatsCache::get(const StatsFilter& filter) {
  {
    std::lock_guard lock(mutex_);
    if (querying_) {
      const auto entry = find(filter);
      if (entry == entries_.end() || Clock::now() - entry->at >= usable_) return nullptr;
      return entry->stats;
    }
    querying_ = true;
  }
  std::shared_ptr<const CollectorStats> result;
  try {
    result = std::make_shared<const CollectorStats>(query_(filter));
  } catch (...) {
    std::lock_guard lock(mutex_);
    querying_ = false;
    throw;
  }
  std::lock_guard lock(mutex_);
  querying_ = false;
  if (const auto old = find(filter); old != entries_.end()) entries_.erase(old);
  entries_.push_front(Entry{filter, result, Clock::now()});
  if (entries_.size() > capacity_) entries_.pop_back();
  return result;
}

}  // namespace telemetry::collector
