// The duplicate rules, answered from memory at intake, before a report reaches the store.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "report/received_report.hpp"

namespace telemetry::collector {

/// What the store's duplicate check would say, for the reports received within the dedup
/// window (and at most `capacity` of them): an Idempotency-Key seen before with the same or
/// another payload, an installation's initial report seen before, or, without a key, the
/// same installation, payload and IP hash. Older reports are forgotten; the store's own
/// check, when the drain stores a report, still keeps their copies out. Thread-safe.
class RecentReports {
 public:
  enum class Verdict { fresh, duplicate, keyReused };

  explicit RecentReports(std::chrono::seconds window, std::size_t capacity = 1'000'000);

  /// Decides, and remembers a fresh report at once, so a copy arriving before the first is
  /// spooled is a duplicate too.
  Verdict claim(const ReceivedReport& report);
  /// Forgets a claimed report that was not accepted after all (the spool refused it).
  void release(const ReceivedReport& report);
  /// Remembers a report already stored or spooled (the rebuild at start).
  void remember(const ReceivedReport& report);
  std::size_t size() const;

 private:
  enum class Rule { key, initial, payload };
  struct Remembered {
    std::string digest;  // the key's payload digest; empty for the other rules
    std::int64_t at = 0;
  };
  struct Arrival {
    Rule rule;
    std::string name;
    std::int64_t at;
  };

  void rememberLocked(const ReceivedReport& report);
  void forgetOld(std::int64_t now);
  std::unordered_map<std::string, Remembered>& table(Rule rule);
  static std::string payloadName(const ReceivedReport& report);
  static std::string payloadName(const ReceivedReport& report, const std::string& ipHash);

  std::chrono::seconds window_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Remembered> keys_;
  std::unordered_map<std::string, Remembered> initials_;
  std::unordered_map<std::string, Remembered> payloads_;
  std::deque<Arrival> arrivals_;  // in the order remembered, to forget the oldest first
};

}  // namespace telemetry::collector
