#include "telemetry/usage_registry.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/test/captured_warnings.hpp"

using telemetry::Metric;
using telemetry::UsageDelta;
using telemetry::UsageLimits;
using telemetry::UsageRegistry;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;

namespace {

using Counts = std::map<std::string, std::uint64_t>;

Counts commandsOf(const UsageDelta& delta) {
  return {delta.counts.commands.begin(), delta.counts.commands.end()};
}

Counts metricsOf(const UsageDelta& delta) {
  return {delta.counts.metrics.begin(), delta.counts.metrics.end()};
}

void addTo(Counts& total, const Counts& more) {
  for (const auto& [name, n] : more) total[name] += n;
}

class UsageRegistryTest : public ::testing::Test {
 protected:
  std::vector<std::string> warnings() const { return captured_.texts(); }

 private:
  telemetry::test::CapturedWarnings captured_{"telemetry.usage"};
};

TEST_F(UsageRegistryTest, CountsCommandsByNameAndThroughHandles) {
  UsageRegistry registry;
  registry.command("StartProcessInstanceCmd");
  registry.command("StartProcessInstanceCmd", 4);
  registry.counter("FetchExternalTasksCmd").increment(2);

  EXPECT_THAT(commandsOf(registry.drain()),
              ElementsAre(Pair("FetchExternalTasksCmd", 2), Pair("StartProcessInstanceCmd", 5)));
}

TEST_F(UsageRegistryTest, DrainRemovesWhatItReturns) {
  UsageRegistry registry;
  registry.command("A");
  registry.metric(Metric::activityInstanceStart);
  registry.worker("w1");
  ASSERT_FALSE(registry.drain().empty());

  EXPECT_TRUE(registry.drain().empty());
}

TEST_F(UsageRegistryTest, HandlesKeepCountingAfterDrains) {
  UsageRegistry registry;
  const telemetry::CommandCounter counter = registry.counter("A");
  counter.increment();
  registry.drain();
  counter.increment(3);

  EXPECT_THAT(commandsOf(registry.drain()), ElementsAre(Pair("A", 3)));
}

TEST_F(UsageRegistryTest, PeekLeavesTheCountsInPlace) {
  UsageRegistry registry;
  registry.command("A", 2);
  registry.metric(Metric::rootProcessInstanceStart);
  registry.worker("w1");

  const UsageDelta peeked = registry.peek();
  EXPECT_THAT(commandsOf(peeked), ElementsAre(Pair("A", 2)));
  const UsageDelta drained = registry.drain();
  EXPECT_EQ(commandsOf(drained), commandsOf(peeked));
  EXPECT_EQ(metricsOf(drained), metricsOf(peeked));
  EXPECT_EQ(drained.workers, peeked.workers);
}

TEST_F(UsageRegistryTest, RestoreAddsADeltaBackToWhatWasCountedSince) {
  UsageRegistry registry({.workerIds = 1});
  registry.command("A", 2);
  registry.metric(Metric::executedDecisionInstances, 3);
  registry.worker("w1");
  registry.worker("w2");
  const UsageDelta failed = registry.drain();
  registry.command("A");
  registry.command("B");

  registry.restore(failed);

  const UsageDelta next = registry.drain();
  EXPECT_THAT(commandsOf(next), ElementsAre(Pair("A", 3), Pair("B", 1)));
  EXPECT_THAT(metricsOf(next), ElementsAre(Pair("executed-decision-instances", 3)));
  EXPECT_THAT(next.workers, ElementsAre("w1"));
  EXPECT_EQ(next.droppedWorkers, 1u);
}

TEST_F(UsageRegistryTest, CountsTheFiveMetricsByEnumAndByName) {
  UsageRegistry registry;
  registry.metric(Metric::rootProcessInstanceStart);
  registry.metric(Metric::uniqueTaskWorkers, 2);
  EXPECT_TRUE(registry.metric("root-process-instance-start", 4));
  EXPECT_TRUE(registry.metric("executed-decision-elements"));

  EXPECT_THAT(metricsOf(registry.drain()),
              ElementsAre(Pair("executed-decision-elements", 1),
                          Pair("root-process-instance-start", 5), Pair("unique-task-workers", 2)));
}

TEST_F(UsageRegistryTest, RejectsAndCountsUnknownMetricNames) {
  UsageRegistry registry;
  EXPECT_FALSE(registry.metric("process-instance-start"));
  EXPECT_FALSE(registry.metric("", 5));

  EXPECT_EQ(registry.rejectedMetrics(), 2u);
  EXPECT_TRUE(registry.drain().empty());
}

TEST_F(UsageRegistryTest, CountsNamesBeyondTheCapAsOtherWithOneWarning) {
  UsageRegistry registry;
  for (int i = 0; i < 1000; ++i) registry.command("Command" + std::to_string(i));
  EXPECT_THAT(warnings(), IsEmpty());

  registry.command("Command1000");
  registry.command("Command1001", 2);
  registry.counter("Command1002").increment();
  registry.command("Command999");

  const Counts counted = commandsOf(registry.drain());
  EXPECT_EQ(counted.size(), 1001u);
  EXPECT_EQ(counted.at("other"), 4u);
  EXPECT_EQ(counted.at("Command999"), 2u);
  EXPECT_FALSE(counted.contains("Command1000"));
  EXPECT_THAT(warnings(), ElementsAre(HasSubstr("\"Command1000\"")));
}

TEST_F(UsageRegistryTest, CountsEmptyAndOverlongNamesAsOther) {
  UsageRegistry registry;
  registry.command("");
  registry.command(std::string(telemetry::kMaxUsageNameLength + 1, 'x'));
  registry.command(std::string(telemetry::kMaxUsageNameLength, 'y'));

  const Counts counted = commandsOf(registry.drain());
  EXPECT_EQ(counted.at("other"), 2u);
  EXPECT_EQ(counted.at(std::string(telemetry::kMaxUsageNameLength, 'y')), 1u);
}

TEST_F(UsageRegistryTest, CountsNamesThatAreNotUtf8OrHoldNulAsOther) {
  UsageRegistry registry;
  registry.command("Bad\xffName");
  registry.command(std::string("a\0b", 3), 2);
  registry.counter("\xed\xa0\x80").increment();
  EXPECT_FALSE(registry.worker("w\xff"));
  EXPECT_FALSE(registry.worker(std::string("w\0", 2)));

  const UsageDelta delta = registry.drain();
  EXPECT_THAT(commandsOf(delta), ElementsAre(Pair("other", 4u)));
  EXPECT_THAT(delta.workers, IsEmpty());
}

TEST_F(UsageRegistryTest, SumsStopAt2To63Minus1) {
  constexpr std::uint64_t kMax = telemetry::kMaxUsageCount;
  UsageRegistry registry;
  registry.command("A", kMax);
  registry.command("A", kMax);
  registry.command("A", 1);
  registry.counter("B").increment(kMax);
  registry.counter("B").increment(~std::uint64_t{0});
  registry.metric(Metric::activityInstanceStart, kMax);
  registry.metric(Metric::activityInstanceStart, 7);
  // Counted from other threads, so the sum runs over several shards.
  std::thread([&] { registry.command("A", kMax); }).join();
  std::thread([&] { registry.command("C", kMax - 1); }).join();
  registry.command("C", 1);

  const UsageDelta delta = registry.drain();
  EXPECT_THAT(commandsOf(delta), ElementsAre(Pair("A", kMax), Pair("B", kMax), Pair("C", kMax)));
  EXPECT_EQ(metricsOf(delta).at("activity-instance-start"), kMax);
  registry.restore(delta);
  registry.restore(delta);
  EXPECT_EQ(commandsOf(registry.drain()).at("A"), kMax) << "restoring saturates too";
}

TEST_F(UsageRegistryTest, DropsWhatIsCountedWhileCountingIsOff) {
  UsageRegistry registry;
  const auto handle = registry.counter("Handle");
  registry.setCounting(false);
  EXPECT_FALSE(registry.counting());
  registry.command("Off");
  handle.increment(3);
  registry.metric(Metric::rootProcessInstanceStart, 2);
  EXPECT_TRUE(registry.metric("activity-instance-start", 1)) << "known, though dropped";
  EXPECT_TRUE(registry.worker("w-off"));
  EXPECT_TRUE(registry.drain().empty());

  registry.setCounting(true);
  registry.command("On");
  handle.increment();
  const UsageDelta delta = registry.drain();
  EXPECT_THAT(commandsOf(delta), ElementsAre(Pair("Handle", 1u), Pair("On", 1u)));
}

TEST_F(UsageRegistryTest, TellsApartNamesThatDifferInOneByteAtAnyLength) {
  UsageRegistry registry;
  Counts expected;
  for (std::size_t length = 1; length <= telemetry::kMaxUsageNameLength; length += 3) {
    for (std::size_t at : {std::size_t{0}, length / 2, length - 1}) {
      std::string name(length, 'a');
      name[at] = 'b';
      registry.command(name);
      expected[name] += 1;
    }
    registry.command(std::string(length, 'a'), 2);
    expected[std::string(length, 'a')] += 2;
  }

  EXPECT_EQ(commandsOf(registry.drain()), expected);
}

TEST_F(UsageRegistryTest, ReportsEachWorkerOncePerDrain) {
  UsageRegistry registry;
  for (const char* id : {"w1", "w2", "w1", "w3", "w2"}) EXPECT_TRUE(registry.worker(id));

  EXPECT_THAT(registry.drain().workers, ElementsAre("w1", "w2", "w3"));
  registry.worker("w2");
  EXPECT_THAT(registry.drain().workers, ElementsAre("w2"));
}

TEST_F(UsageRegistryTest, KeepsTheFirstWorkersAndCountsTheRestAsDropped) {
  UsageRegistry registry({.workerIds = 2});
  for (const char* id : {"w1", "w2", "w3", "w1", "w4", "w3"}) registry.worker(id);

  const UsageDelta delta = registry.drain();
  EXPECT_THAT(delta.workers, ElementsAre("w1", "w2"));
  EXPECT_EQ(delta.droppedWorkers, 3u);
  EXPECT_THAT(warnings(), SizeIs(1));
  EXPECT_EQ(registry.drain().droppedWorkers, 0u);
}

TEST_F(UsageRegistryTest, RejectsEmptyAndOverlongWorkerIds) {
  UsageRegistry registry;
  EXPECT_FALSE(registry.worker(""));
  EXPECT_FALSE(registry.worker(std::string(telemetry::kMaxUsageNameLength + 1, 'w')));

  EXPECT_TRUE(registry.drain().empty());
}

TEST_F(UsageRegistryTest, KeepsManyDistinctWorkersExactlyInFirstSeenOrder) {
  UsageRegistry registry;
  std::vector<std::string> ids;
  for (int i = 0; i < 50000; ++i) {
    ids.push_back("worker-" + std::to_string(i) +
                  std::string(static_cast<std::size_t>(i % 200), 'x'));
  }
  for (const std::string& id : ids) registry.worker(id);
  for (const std::string& id : ids) registry.worker(id);

  const UsageDelta delta = registry.drain();
  EXPECT_EQ(delta.workers, ids);
  EXPECT_EQ(delta.droppedWorkers, 0u);
}

// The reporter drains while the product counts, and gives a delta back when storing it
// fails: each increment must end up in exactly one stored delta.
TEST_F(UsageRegistryTest, NoIncrementIsLostOrDoubledWhileDrainingAndRestoring) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 50000;
  const std::vector<std::string> names = {"A", "B", "C", "D", "E", "F", "G"};
  UsageRegistry registry;
  std::atomic<bool> counting = true;
  Counts stored;
  Counts storedMetrics;
  std::set<std::string> storedWorkers;
  int drains = 0;
  auto keep = [&](const UsageDelta& delta) {
    addTo(stored, commandsOf(delta));
    addTo(storedMetrics, metricsOf(delta));
    storedWorkers.insert(delta.workers.begin(), delta.workers.end());
  };

  std::atomic<bool> draining = false;
  std::thread reporter([&] {
    while (counting.load()) {
      draining = true;
      UsageDelta delta = registry.drain();
      if (++drains % 3 == 0) {
        registry.restore(delta);
      } else {
        keep(delta);
      }
    }
  });
  std::vector<std::thread> product;
  for (int t = 0; t < kThreads; ++t) {
    product.emplace_back([&, t] {
      const telemetry::CommandCounter handle = registry.counter("Handle");
      while (!draining.load()) std::this_thread::yield();
      for (int i = 0; i < kRounds; ++i) {
        registry.command(names[static_cast<std::size_t>(i) % names.size()]);
        handle.increment(2);
        registry.metric(Metric::activityInstanceStart);
        registry.metric("executed-decision-elements", 3);
        if (i % 100 == 0)
          registry.worker("worker-" + std::to_string(t) + "-" + std::to_string(i % 1000));
      }
    });
  }
  for (std::thread& thread : product) thread.join();
  counting = false;
  reporter.join();
  keep(registry.drain());

  Counts expected = {{"Handle", 2ull * kThreads * kRounds}};
  for (std::size_t n = 0; n < names.size(); ++n) {
    expected[names[n]] = kThreads * ((kRounds - n - 1) / names.size() + 1);
  }
  EXPECT_EQ(stored, expected);
  EXPECT_EQ(storedMetrics, (Counts{{"activity-instance-start", kThreads * kRounds},
                                   {"executed-decision-elements", 3ull * kThreads * kRounds}}));
  EXPECT_EQ(storedWorkers.size(), kThreads * 10u);
}

// Registries are made and destroyed while threads that counted in earlier ones go on:
// nothing a thread keeps may point into a registry.
TEST_F(UsageRegistryTest, RegistriesComeAndGoWhileThreadsCount) {
  std::vector<std::thread> threads;
  std::atomic<std::uint64_t> counted = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 200; ++round) {
        UsageRegistry registry({.commandNames = 4});
        registry.command("A");
        registry.counter("B").increment();
        registry.metric(Metric::rootProcessInstanceStart);
        for (const auto& [name, n] : registry.drain().counts.commands) counted += n;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(counted.load(), 4u * 200u * 2u);
}

}  // namespace
