#include "abuse/rate_limiter.hpp"

namespace telemetry::collector {

RateLimiter::RateLimiter(unsigned perMinute, unsigned burst)
    : perMinute_(perMinute), burst_(burst), lastSweep_(TokenBucket::Clock::now()) {}

bool RateLimiter::allow(const std::string& key, std::chrono::seconds& retryAfter,
                        TokenBucket::Clock::time_point now) {
  std::lock_guard lock(mutex_);
  forgetFullBuckets(now);
  auto it = buckets_.try_emplace(key, perMinute_, burst_, now).first;
  return it->second.take(now, retryAfter);
}

bool RateLimiter::allow(const std::string& key, const std::vector<std::string>& formerKeys,
                        std::chrono::seconds& retryAfter, TokenBucket::Clock::time_point now) {
  std::lock_guard lock(mutex_);
  forgetFullBuckets(now);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    for (const auto& former : formerKeys) {
      auto node = buckets_.extract(former);
      if (!node) continue;
      node.key() = key;
      it = buckets_.insert(std::move(node)).position;
      break;
    }
  }
  if (it == buckets_.end()) it = buckets_.try_emplace(key, perMinute_, burst_, now).first;
  return it->second.take(now, retryAfter);
}

std::size_t RateLimiter::trackedSenders() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

void RateLimiter::forgetFullBuckets(TokenBucket::Clock::time_point now) {
  if (now - lastSweep_ < std::chrono::minutes(1)) return;
  lastSweep_ = now;
  std::erase_if(buckets_, [now](const auto& entry) { return entry.second.isFull(now); });
}

}  // namespace telemetry::collector
