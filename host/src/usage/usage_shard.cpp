#include "telemetry/usage_shard.hpp"

#include <algorithm>
#include <mutex>
#include <thread>

namespace telemetry::detail {
namespace {

inline constexpr std::size_t kMaxShards = 64;

struct ShardUse {
  std::mutex mutex;
  std::array<std::size_t, kMaxShards> liveThreads{};
};

ShardUse& shardUse() {
  static ShardUse instance;
  return instance;
}

// Gives the shard back when its thread ends, so thread pools that come and go keep
// spreading over all shards.
struct ShardClaim {
  std::size_t shard;
  ~ShardClaim() {
    ShardUse& use = shardUse();
    std::lock_guard lock(use.mutex);
    --use.liveThreads[shard];
  }
};

}  // namespace

std::size_t shardCount() noexcept {
  static const std::size_t count =
      std::clamp<std::size_t>(2 * std::thread::hardware_concurrency(), 8, kMaxShards);
  return count;
}

std::size_t claimShard() noexcept {
  ShardUse& use = shardUse();
  std::size_t shard = 0;
  {
    std::lock_guard lock(use.mutex);
    auto live = use.liveThreads.begin();
    shard = static_cast<std::size_t>(std::min_element(live, live + shardCount()) - live);
    ++use.liveThreads[shard];
  }
  thread_local ShardClaim claim{shard};
  return claim.shard;
}

}  // namespace telemetry::detail
