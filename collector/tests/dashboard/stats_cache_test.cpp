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
  StatsCache cache([&](const StatsFilter&) { return query.run(); });
  EXPECT_EQ(cache.get({})->installations, 1);
  EXPECT_EQ(cache.get({})->installations, 2);
}

TEST(StatsCacheTest, ServesThePreviousResultWhileAQueryRunsWithoutStartingAnother) {
  HeldQuery query;
  StatsCache cache([&](const StatsFilter&) { return query.run(); });
  ASSERT_EQ(cache.get({})->installations, 1);
  query.hold();
  auto held = std::async(std::launch::async, [&] { return cache.get({}); });
  const bool running = query.waitUntilRunning(2);
  if (!running) query.release();
  ASSERT_TRUE(running);
  std::vector<std::shared_ptr<const CollectorStats>> meanwhile;
  for (int i = 0; i < 30; ++i) {
    meanwhile.push_back(cache.get({}));  // would wait for the held query if it queried too
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
  StatsCache cache([&](const StatsFilter&) { return query.run(); }, std::chrono::seconds(0));
  ASSERT_EQ(cache.get({})->installations, 1);  // already too old for a usable of 0 s
  query.hold();
  auto held = std::async(std::launch::async, [&] { return cache.get({}); });
  const bool running = query.waitUntilRunning(2);
  if (!running) query.release();
  ASSERT_TRUE(running);
  const auto meanwhile = cache.get({});
  query.release();
  EXPECT_EQ(meanwhile, nullptr);
  EXPECT_EQ(held.get()->installations, 2);
}

TEST(StatsCacheTest, LetsTheNextCallQueryAfterAQueryFailed) {
  bool fail = true;
  StatsCache cache([&](const StatsFilter&) {
    if (fail) throw std::runtime_error("store gone");
    return CollectorStats{};
  });
  EXPECT_THROW(cache.get({}), std::runtime_error);
  fail = false;
  EXPECT_NE(cache.get({}), nullptr);
}

StatsFilter versionFilter(const std::string& version) {
  StatsFilter filter;
  filter.version = version;
  return filter;
}

TEST(StatsCacheTest, WhileAQueryRunsServesEachFilterOnlyItsOwnResult) {
  HeldQuery query;
  StatsCache cache([&](const StatsFilter&) { return query.run(); });
  ASSERT_EQ(cache.get(versionFilter("7.14.0"))->installations, 1);
  query.hold();
  auto held = std::async(std::launch::async, [&] { return cache.get(versionFilter("7.15.0")); });
  const bool running = query.waitUntilRunning(2);
  if (!running) query.release();
  ASSERT_TRUE(running);
  const auto same = cache.get(versionFilter("7.14.0"));
  const auto other = cache.get(versionFilter("7.16.0"));  // never asked for: nothing at hand
  const auto unfiltered = cache.get({});
  query.release();
  ASSERT_NE(same, nullptr);
  EXPECT_EQ(same->installations, 1);
  EXPECT_EQ(other, nullptr);
  EXPECT_EQ(unfiltered, nullptr);
  EXPECT_EQ(held.get()->installations, 2);
  EXPECT_EQ(query.runs(), 2);
}

TEST(StatsCacheTest, KeepsOnlyTheFiltersAskedForLast) {
  HeldQuery query;
  StatsCache cache([&](const StatsFilter&) { return query.run(); }, std::chrono::minutes(10), 2);
  ASSERT_NE(cache.get(versionFilter("a")), nullptr);
  ASSERT_NE(cache.get(versionFilter("b")), nullptr);
  ASSERT_NE(cache.get(versionFilter("c")), nullptr);  // pushes "a" out
  query.hold();
  auto held = std::async(std::launch::async, [&] { return cache.get(versionFilter("d")); });
  const bool running = query.waitUntilRunning(4);
  if (!running) query.release();
  ASSERT_TRUE(running);
  const auto a = cache.get(versionFilter("a"));
  const auto b = cache.get(versionFilter("b"));
  const auto c = cache.get(versionFilter("c"));
  query.release();
  EXPECT_EQ(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->installations, 2);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->installations, 3);
  held.get();
}

TEST(StatsCacheTest, PassesTheFilterToTheQuery) {
  StatsFilter seen;
  StatsCache cache([&](const StatsFilter& filter) {
    seen = filter;
    return CollectorStats{};
  });
  StatsFilter asked = versionFilter("7.14.0");
  asked.edition = "enterprise";
  asked.fromDay = 20000;
  asked.toDay = 20089;
  cache.get(asked);
  EXPECT_EQ(seen.version, "7.14.0");
  EXPECT_EQ(seen.edition, "enterprise");
  EXPECT_EQ(seen.fromDay, 20000);
  EXPECT_EQ(seen.toDay, 20089);
}

}  // namespace
}  // namespace telemetry::collector
