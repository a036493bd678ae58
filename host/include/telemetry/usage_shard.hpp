// The sharded counter storage behind UsageRegistry and CommandCounter. Each thread adds to
// a shard of its own while there are enough shards, so concurrent threads rarely write the
// same cache line and nothing is locked; a drain sums the shards.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "telemetry/usage_count.hpp"

namespace telemetry::detail {

/// Names per counter row: one row of a shard holds the counts of 64 consecutive names.
inline constexpr std::size_t kNamesPerRow = 64;

/// The counts of one shard for a block of names, on cache lines of their own.
struct alignas(64) CounterRow {
  std::array<std::atomic<std::uint64_t>, kNamesPerRow> counts{};
};

/// How many shards every registry of this process has (twice the cores, 8 to 64).
std::size_t shardCount() noexcept;

/// Adds n to one shard's count, stopping at kMaxUsageCount. A small n (the hot path) is one
/// atomic add, pulled back in the rare case it went over; a large n takes a CAS loop, so no
/// interleaving of adds can wrap around 2^64.
inline void addSaturating(std::atomic<std::uint64_t>& count, std::uint64_t n) noexcept {
  constexpr std::uint64_t kSmall = std::uint64_t{1} << 32;
  std::uint64_t current = 0;
  if (n < kSmall) [[likely]] {
    current = count.fetch_add(n, std::memory_order_relaxed) + n;
    if (current <= kMaxUsageCount) [[likely]]
      return;
  } else {
    current = count.load(std::memory_order_relaxed);
    while (!count.compare_exchange_weak(current, saturatingAdd(current, n),
                                        std::memory_order_relaxed)) {
    }
    return;
  }
  while (current > kMaxUsageCount &&
         !count.compare_exchange_weak(current, kMaxUsageCount, std::memory_order_relaxed)) {
  }
}

inline constexpr std::size_t kNoShard = ~std::size_t{0};

/// Gives the calling thread the shard fewest live threads use; called once per thread.
std::size_t claimShard() noexcept;

/// The calling thread's shard, the same in every registry and fixed for the thread's life.
inline std::size_t threadShard() noexcept {
  // Constant-initialised, so reading it costs no guard check; it names no registry, so
  // destroying registries leaves nothing dangling.
  static thread_local std::size_t shard = kNoShard;
  if (shard == kNoShard) [[unlikely]]
    shard = claimShard();
  return shard;
}

}  // namespace telemetry::detail
