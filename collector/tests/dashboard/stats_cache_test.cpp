#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "dashboard/stats_cache.hpp"

namespace telemetry::collector {
namespace {

// A query the test holds until it lets it finish; each run counts one more installation.
class HeldQuery {
 public:
  CollectorStats run() {
    std::unique_lock lock(mutex_);
    ++running_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return !holding_; });
    CollectorStats stats;
    stats.installations = ++runs_;
    return stats;
  }
  void hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  void release() {
    std::lock_guard lock(mutex_);
    holding_ = false;
    changed_.notify_all();
  }
  // A hang guard, not a time limit: false when no query started within a minute.
  bool waitUntilRunning(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::minutes(1), [&] { return running_ >= count; });
  }
  int runs() {
    std::lock_guard lock(mutex_);
    return runs_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool holding_ = false;
  int running_ = 0;
  int runs_ = 0;
};

TEST(StatsCacheTest, QueriesAnewWhenNoQueryRuns) {
  HeldQuery query;
  StatsCache cache([&] { return query.run(); });
  EXPECT_EQ(cache.get()->installations, 1);
  EXPECT_EQ(cache.get()->installations, 2);
}

TEST(StatsCacheTest, ServesThePreviousResultWhileAQueryRunsWithoutStartingAnother) {
  HeldQuery query;
  StatsCache cache([&] { return query.run(); });
  ASSERT_EQ(cache.get()->installations, 1);
  query.hold();
  auto held = std::async(std::launch::async, [&] { return cache.get(); });
  const bool running = query.waitUntilRunning(2);
  if (!running) query.release();
  ASSERT_TRUE(running);
  std::vector<std::shared_ptr<const CollectorStats>> meanwhile;
  for (int i = 0; i < 30; ++i) {
    meanwhile.push_back(cache.get());  // would wait for the held query if it queried too
  }
  query.release();  // before any assertion, so a failure cannot leave `held` waiting
  for (const auto& figures : meanwhile) {
    ASSERT_NE(figures, nullptr);
    EXPECT_EQ(figures->installations, 1);
  }
  EXPECT_EQ(held.get()->installations, 2);
  EXPECT_EQ(query.runs(), 2);
}

TEST(StatsCacheTest, AnswersNothingWhileAQueryRunsAndNoRecentResultIsAtHand) {
  HeldQuery query;
  StatsCache cache([&] { return query.run(); }, std::chrono::seconds(0));
  ASSERT_EQ(cache.get()->installations, 1);  // already too old for a usable of 0 s
  query.hold();
  auto held = std::async(std::launch::async, [&] { return cache.get(); });
  const bool running = query.waitUntilRunning(2);
  if (!running) query.release();
  ASSERT_TRUE(running);
  const auto meanwhile = cache.get();
  query.release();
  EXPECT_EQ(meanwhile, nullptr);
  EXPECT_EQ(held.get()->installations, 2);
}

TEST(StatsCacheTest, LetsTheNextCallQueryAfterAQueryFailed) {
  bool fail = true;
  StatsCache cache([&] {
    if (fail) throw std::runtime_error("store gone");
    return CollectorStats{};
  });
  EXPECT_THROW(cache.get(), std::runtime_error);
  fail = false;
  EXPECT_NE(cache.get(), nullptr);
}

}  // namespace
}  // namespace telemetry::collector
