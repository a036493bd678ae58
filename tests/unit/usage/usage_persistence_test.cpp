// Counts made through Host::usage() survive a restart: stop() and every checkpoint put them
// in the state store, and the reporter thread checkpoints on its own, so kill -9 loses only
// what was counted since its last checkpoint.
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "state/state_store.hpp"
#include "telemetry/host.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"

namespace {

using namespace std::chrono_literals;
using telemetry::Host;
using telemetry::Metric;
using telemetry::StateStore;
using telemetry::test::TestReceiver;
using ::testing::ElementsAre;
using ::testing::Pair;

class UsagePersistenceTest : public ::testing::Test {
 protected:
  telemetry::Config config() {
    telemetry::Config c;
    c.telemetry.endpoint = receiver_.url();
    c.telemetry.initialize = true;
    c.state.path = (dir_ / "state.db").string();
    c.state.auditLog = (dir_ / "telemetry-sent.jsonl").string();
    c.plugins.paths = {dir_ / "no-plugins"};
    return c;
  }

  /// Counts one of everything the registry knows.
  static void count(Host& host) {
    host.usage().command("StartProcessInstanceCmd", 3);
    host.usage().metric(Metric::activityInstanceStart, 2);
    host.usage().worker("worker-1");
  }

  std::map<std::string, std::uint64_t> pendingCommands() {
    auto pending = StateStore(config().state.path, false).pendingUsage().commands;
    return {pending.begin(), pending.end()};
  }

  telemetry::test::TempDirectory dir_;
  TestReceiver receiver_{TestReceiver::Options{.tls = false}};
};

TEST_F(UsagePersistenceTest, CountsArePendingAfterStopAndReopen) {
  {
    Host host(config());
    count(host);
    host.stop();
  }
  Host reopened(config());
  auto pending = reopened.state().pendingUsage();
  EXPECT_THAT(pending.commands, ElementsAre(Pair("StartProcessInstanceCmd", 3)));
  EXPECT_EQ(pending.metrics.at("activity-instance-start"), 2u);
  EXPECT_EQ(reopened.state().uniqueTaskWorkers(StateStore::Clock::now()), 1u);
}

TEST_F(UsagePersistenceTest, ACheckpointAloneMakesCountsDurable) {
  Host host(config());
  count(host);
  host.checkpoint();
  host.usage().command("StartProcessInstanceCmd", 100);  // after the checkpoint: in memory only
  // What another process (or this one after kill -9) finds in the store now.
  EXPECT_THAT(pendingCommands(), ElementsAre(Pair("StartProcessInstanceCmd", 3)));
}

TEST_F(UsagePersistenceTest, TheReporterCheckpointsWithoutBeingAsked) {
  telemetry::HostOptions options;
  options.reporter.checkpointInterval = 100ms;
  Host host(config(), options);
  host.start();
  host.usage().command("StartProcessInstanceCmd", 3);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (pendingCommands().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_THAT(pendingCommands(), ElementsAre(Pair("StartProcessInstanceCmd", 3)));
}

TEST_F(UsagePersistenceTest, WhatWasCountedWhileDisabledIsNotKept) {
  telemetry::Config c = config();
  c.telemetry.initialize = false;
  {
    Host host(c);
    count(host);
    host.stop();
  }
  Host reopened(c);
  EXPECT_TRUE(reopened.state().pendingUsage().commands.empty());
  EXPECT_EQ(reopened.state().uniqueTaskWorkers(StateStore::Clock::now()), 0u);
}

}  // namespace
