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
  /// Adds n to the command's count: one relaxed atomic add on this thread's shard. Dropped
  /// while the registry does not count (telemetry disabled); sums stop at kMaxUsageCount.
  void increment(std::uint64_t n = 1) const noexcept {
    if (!counting_->load(std::memory_order_relaxed)) return;
    detail::addSaturating(rows_[detail::threadShard()].counts[column_], n);
  }

 private:
  friend class UsageRegistry;
  CommandCounter(detail::CounterRow* rows, std::size_t column,
                 const std::atomic<bool>* counting) noexcept
      : rows_(rows), column_(column), counting_(counting) {}

  detail::CounterRow* rows_;  ///< one row per shard
  std::size_t column_;
  const std::atomic<bool>* counting_;  ///< the registry's switch
};

}  // namespace telemetry
