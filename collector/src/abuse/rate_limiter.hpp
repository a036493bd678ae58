// Rate limiting per sender: one TokenBucket per IP hash.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "abuse/token_bucket.hpp"

namespace telemetry::collector {

/// Thread-safe map of buckets keyed by IP hash. Full buckets are forgotten now and then so
/// a flood of distinct senders cannot grow memory without bound.
class RateLimiter {
 public:
  RateLimiter(unsigned perMinute, unsigned burst);

  /// True when `key` may send now; otherwise `retryAfter` says when to come back.
  bool allow(const std::string& key, std::chrono::seconds& retryAfter,
             TokenBucket::Clock::time_point now = TokenBucket::Clock::now());

  /// As above; a sender first seen under `key` keeps the bucket it had under one of
  /// `formerKeys` (its address hashed with a replaced key), so a key rotation refills nothing.
  bool allow(const std::string& key, const std::vector<std::string>& formerKeys,
             std::chrono::seconds& retryAfter,
             TokenBucket::Clock::time_point now = TokenBucket::Clock::now());

  std::size_t trackedSenders() const;

 private:
  void forgetFullBuckets(TokenBucket::Clock::time_point now);

  unsigned perMinute_;
  unsigned burst_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, TokenBucket> buckets_;
  TokenBucket::Clock::time_point lastSweep_;
};

}  // namespace telemetry::collector
