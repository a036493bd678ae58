// A handle on the count of one command name, for callers that count the same command
// often: it skips the name lookup of UsageRegistry::command.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "telemetry/usage_shard.hpp"

namespace telemetry {

/// Counts one command name of a UsageRegistry (obtained from UsageRegistry::counter).
/// It stays valid across drains and must not outlive its registry.
class CommandCounter {
 public:
  /// Adds n to the command's count: one relaxed atomic add on this thread's shard.
  void increment(std::uint64_t n = 1) const noexcept {
    rows_[detail::threadShard()].counts[column_].fetch_add(n, std::memory_order_relaxed);
  }

 private:
  friend class UsageRegistry;
  CommandCounter(detail::CounterRow* rows, std::size_t column) noexcept
      : rows_(rows), column_(column) {}

  detail::CounterRow* rows_;  ///< one row per shard
  std::size_t column_;
};

}  // namespace telemetry
