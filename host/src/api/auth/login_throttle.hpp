// Slows down password guessing: after a few failed logins from one address, further
// attempts from it are refused (429) for a time that doubles with every failure.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace telemetry::api {

struct LoginThrottleLimits {
  int freeFailures = 5;  ///< failed logins checked before further attempts are refused
  std::chrono::milliseconds firstLockout{1000};
  std::chrono::milliseconds maxLockout{std::chrono::minutes(5)};
  std::chrono::milliseconds forgetAfter{std::chrono::minutes(15)};  ///< quiet time that resets
  std::size_t maxAddresses = 10000;  ///< memory bound under a distributed attack
};

/// Thread-safe. Addresses are client IPs as text.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginThrottle(LoginThrottleLimits limits = {}) : limits_(limits) {}

  /// Zero when `address` may try to log in now, else how long it must wait.
  std::chrono::milliseconds retryAfter(const std::string& address, Clock::time_point now);
  /// A success does not reset the count: otherwise a guesser holding any valid account could
  /// interleave its logins to keep guessing another user's password at full speed.
  void recordFailure(const std::string& address, Clock::time_point now);
  /// Addresses remembered now (at most LoginThrottleLimits::maxAddresses).
  std::size_t trackedAddresses();

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point lastFailure;
    Clock::time_point lockedUntil;
  };
  void forgetStale(Clock::time_point now);

  const LoginThrottleLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace telemetry::api
