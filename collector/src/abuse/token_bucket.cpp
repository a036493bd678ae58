#include "abuse/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace telemetry::collector {

TokenBucket::TokenBucket(unsigned perMinute, unsigned burst, Clock::time_point now)
    : perSecond_(perMinute / 60.0), capacity_(burst), tokens_(burst), updated_(now) {}

double TokenBucket::available(Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(std::max(now, updated_) - updated_).count();
  return std::min(capacity_, tokens_ + elapsed * perSecond_);
}

bool TokenBucket::take(Clock::time_point now, std::chrono::seconds& retryAfter) {
  tokens_ = available(now);
  updated_ = std::max(now, updated_);
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return true;
  }
  const double wait = (1.0 - tokens_) / perSecond_;
  retryAfter =
      std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))));
  return false;
}

bool TokenBucket::isFull(Clock::time_point now) const { return available(now) >= capacity_; }

}  // namespace telemetry::collector
