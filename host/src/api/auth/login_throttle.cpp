#include "api/auth/login_throttle.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace telemetry::api {

std::chrono::milliseconds LoginThrottle::retryAfter(const std::string& address,
                                                    Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(address);
  if (it == entries_.end() || it->second.lockedUntil <= now) return std::chrono::milliseconds{0};
  return std::chrono::ceil<std::chrono::milliseconds>(it->second.lockedUntil - now);
}

void LoginThrottle::recordFailure(const std::string& address, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= limits_.maxAddresses) forgetStale(now);
  Entry& entry = entries_[address];
  if (entry.failures > 0 && now - entry.lastFailure > limits_.forgetAfter) entry = Entry{};
  ++entry.failures;
  entry.lastFailure = now;
  // The last free failure already locks: the attempt after it is refused, not checked.
  const int over = entry.failures - limits_.freeFailures + 1;
  if (over <= 0) return;
  // 1 s, 2 s, 4 s, ... up to the cap: a guesser gets a few hundred tries a day at most.
  auto lockout = limits_.firstLockout;
  for (int i = 1; i < over && lockout < limits_.maxLockout; ++i) lockout *= 2;
  entry.lockedUntil = now + std::min(lockout, limits_.maxLockout);
}

std::size_t LoginThrottle::trackedAddresses() {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void LoginThrottle::forgetStale(Clock::time_point now) {
  std::erase_if(entries_, [&](const auto& item) {
    return item.second.lockedUntil <= now && now - item.second.lastFailure > limits_.forgetAfter;
  });
  // Still full: every entry is recent. Dropping the oldest half keeps memory bounded; a
  // dropped attacker starts again at the free failures, which the doubling soon catches up.
  if (entries_.size() >= limits_.maxAddresses) {
    std::vector<std::pair<Clock::time_point, std::string>> byAge;
    byAge.reserve(entries_.size());
    for (const auto& [address, entry] : entries_) byAge.emplace_back(entry.lastFailure, address);
    std::nth_element(byAge.begin(), byAge.begin() + static_cast<std::ptrdiff_t>(byAge.size() / 2),
                     byAge.end());
    for (std::size_t i = 0; i < byAge.size() / 2; ++i) entries_.erase(byAge[i].second);
  }
}

}  // namespace telemetry::api
