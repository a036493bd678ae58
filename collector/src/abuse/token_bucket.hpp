// One token bucket: `burst` requests at once, refilled at `perMinute` tokens a minute.
#pragma once

#include <chrono>

namespace telemetry::collector {

/// Not thread-safe; time is passed in so the behaviour is testable without sleeping.
class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBucket(unsigned perMinute, unsigned burst, Clock::time_point now);

  /// Takes one token when available. Otherwise returns false and sets `retryAfter` to the
  /// whole seconds (at least 1) until a token will be there.
  bool take(Clock::time_point now, std::chrono::seconds& retryAfter);

  /// True when the bucket has refilled completely, so forgetting it changes nothing.
  bool isFull(Clock::time_point now) const;

 private:
  double available(Clock::time_point now) const;

  double perSecond_;
  double capacity_;
  double tokens_;
  Clock::time_point updated_;
};

}  // namespace telemetry::collector
