// The StatsD listener on a real loopback UDP socket: alone, counting into a registry, and
// inside a Host, where what arrives over UDP ends up in the report the collector gets.
#include "usage/statsd_listener.hpp"

#include <thread>

#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report/utf8_text.hpp"
#include "state/state_store.hpp"
#include "telemetry/host.hpp"
#include "telemetry/test/captured_warnings.hpp"
#include "telemetry/test/report_reading.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"
#include "telemetry/usage_registry.hpp"

namespace {

using namespace std::chrono_literals;
using telemetry::StatsdListener;
using telemetry::UsageRegistry;
using telemetry::test::TestReceiver;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::SizeIs;

void sendDatagram(const std::string& address, const std::string& payload) {
  Poco::Net::DatagramSocket socket;
  socket.sendTo(payload.data(), static_cast<int>(payload.size()),
                Poco::Net::SocketAddress(address));
}

/// True once the listener has counted `accepted` and rejected `rejected` lines.
bool waitForLines(const StatsdListener& listener, std::uint64_t accepted, std::uint64_t rejected) {
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (listener.accepted() < accepted || listener.rejected() < rejected) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::map<std::string, std::uint64_t> commandsOf(const telemetry::UsageDelta& delta) {
  return {delta.counts.commands.begin(), delta.counts.commands.end()};
}

class StatsdListenerTest : public ::testing::Test {
 protected:
  std::vector<std::string> warnings() const { return captured_.texts(); }

  UsageRegistry registry_;

 private:
  telemetry::test::CapturedWarnings captured_{"telemetry.statsd"};
};

TEST_F(StatsdListenerTest, CountsEveryLineOfADatagram) {
  StatsdListener listener("127.0.0.1:0", registry_);
  sendDatagram(listener.address(),
               "command.StartProcessInstanceCmd:2|c\nactivity-instance-start:5|c|@0.5\r\n\n"
               "worker:w-1|s\nworker:w-2|s\nworker:w-1|s\n");
  ASSERT_TRUE(waitForLines(listener, 5, 0));
  listener.stop();
  auto delta = registry_.drain();
  EXPECT_THAT(commandsOf(delta), ElementsAre(Pair("StartProcessInstanceCmd", 2)));
  EXPECT_EQ(delta.counts.metrics.at("activity-instance-start"), 10u);
  EXPECT_THAT(delta.workers, ElementsAre("w-1", "w-2"));
  EXPECT_EQ(listener.rejected(), 0u);
}

TEST_F(StatsdListenerTest, CountsRejectedLinesAndWarnsOncePerReason) {
  StatsdListener listener("127.0.0.1:0", registry_);
  sendDatagram(listener.address(),
               "requests:1|c\nlatency:12|ms\nerrors:1|c\ncommand.A:1|c\nqueue:3|g\n\x1b[2J:1|c");
  ASSERT_TRUE(waitForLines(listener, 1, 5));
  listener.stop();
  EXPECT_EQ(listener.rejected(), 5u);
  EXPECT_THAT(commandsOf(registry_.drain()), ElementsAre(Pair("A", 1)));
  auto warned = warnings();
  ASSERT_THAT(warned, SizeIs(2)) << "one unknown name, one unsupported type";
  EXPECT_THAT(warned[0], HasSubstr("\"requests:1|c\" rejected: unknown name"));
  EXPECT_THAT(warned[1], HasSubstr("\"latency:12|ms\" rejected: only counters"));
}

TEST_F(StatsdListenerTest, WarnsAgainAfterTheIntervalSayingHowManyItSkipped) {
  StatsdListener listener("127.0.0.1:0", registry_, {.warningInterval = 300ms});
  sendDatagram(listener.address(), "a:1|c\nb:1|c\nc:1|c");
  ASSERT_TRUE(waitForLines(listener, 0, 3));
  std::this_thread::sleep_for(400ms);
  sendDatagram(listener.address(), "d:1|c");
  ASSERT_TRUE(waitForLines(listener, 0, 4));
  listener.stop();
  EXPECT_THAT(warnings(), ElementsAre(HasSubstr("\"a:1|c\""),
                                      HasSubstr("\"d:1|c\" rejected: unknown name: counters are "
                                                "command.NAME")));
  EXPECT_THAT(warnings()[1], HasSubstr("(and 2 more since the last warning)"));
}

TEST_F(StatsdListenerTest, RefusesAnAddressThatIsNotLoopback) {
  EXPECT_THROW(StatsdListener("0.0.0.0:0", registry_), std::invalid_argument);
  EXPECT_THROW(StatsdListener("192.0.2.1:8125", registry_), std::invalid_argument);
  EXPECT_THROW(StatsdListener("no port", registry_), std::invalid_argument);
}

TEST_F(StatsdListenerTest, APortInUseIsAnErrorNamingTheAddress) {
  StatsdListener first("127.0.0.1:0", registry_);
  try {
    StatsdListener second(first.address(), registry_);
    FAIL() << "bound twice";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("cannot listen for StatsD on udp://" + first.address()));
  }
}

TEST_F(StatsdListenerTest, DatagramsSentBeforeStopAreCounted) {
  StatsdListener listener("127.0.0.1:0", registry_);
  for (int i = 0; i < 50; ++i) sendDatagram(listener.address(), "command.A:1|c");
  listener.stop();
  EXPECT_EQ(listener.accepted(), 50u);
  EXPECT_THAT(commandsOf(registry_.drain()), ElementsAre(Pair("A", 50)));
}

// stop() joins the receiving thread, so it returning proves the wait for a datagram that
// never comes was cut off. How soon (about one poll interval) is in scripts/bench timing.
TEST_F(StatsdListenerTest, StopEndsAReceiveThatWaitsForNothingAndMayBeCalledTwice) {
  StatsdListener listener("127.0.0.1:0", registry_, {.pollInterval = 100ms});
  listener.stop();
  listener.stop();
  EXPECT_EQ(listener.accepted() + listener.rejected(), 0u);
}

class HostStatsdTest : public ::testing::Test {
 protected:
  telemetry::Config config(bool enabled) {
    telemetry::Config c;
    c.telemetry.endpoint = receiver_.url();
    c.telemetry.initialize = enabled;
    c.telemetry.requestRetries = 0;
    c.state.path = (dir_ / "state.db").string();
    c.state.auditLog = (dir_ / "telemetry-sent.jsonl").string();
    c.plugins.paths = {dir_ / "no-plugins"};
    c.usage.statsdListen = "127.0.0.1:0";
    return c;
  }

  telemetry::test::TempDirectory dir_;
  TestReceiver receiver_{TestReceiver::Options{.tls = false}};
};

TEST_F(HostStatsdTest, WhatArrivesOverUdpGoesOutWithTheFinalReport) {
  telemetry::Host host(config(true));
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s)) << "the initial report";
  const StatsdListener* listener = host.statsdListener();
  ASSERT_NE(listener, nullptr);
  sendDatagram(listener->address(),
               "command.StartProcessInstanceCmd:3|c\nroot-process-instance-start:2|c|@0.5\n"
               "worker:w-1|s\nworker:w-2|s\nbogus:1|c");
  ASSERT_TRUE(waitForLines(*listener, 4, 1));
  host.stop();

  ASSERT_TRUE(receiver_.waitForRequests(2, 1s)) << "the final report";
  const std::string final = receiver_.requests().back().body;
  EXPECT_EQ(telemetry::test::commandCount(final, "StartProcessInstanceCmd"), 3u);
  EXPECT_EQ(telemetry::test::metricCount(final, "root-process-instance-start"), 4u);
  EXPECT_EQ(telemetry::test::metricCount(final, "unique-task-workers"), 2u);
}

TEST_F(HostStatsdTest, WhileDisabledWhatArrivesIsDropped) {
  telemetry::Host host(config(false));
  host.start();
  const StatsdListener* listener = host.statsdListener();
  ASSERT_NE(listener, nullptr);
  sendDatagram(listener->address(), "command.StartProcessInstanceCmd:3|c");
  ASSERT_TRUE(waitForLines(*listener, 1, 0));
  host.stop();
  EXPECT_TRUE(host.state().pendingUsage().commands.empty());
}

TEST_F(HostStatsdTest, WhatArrivesWhileDisabledIsNotReportedAfterAQuickReEnable) {
  telemetry::Host host(config(true));
  host.start();
  const StatsdListener* listener = host.statsdListener();
  ASSERT_NE(listener, nullptr);
  sendDatagram(listener->address(), "command.Before:1|c");
  ASSERT_TRUE(waitForLines(*listener, 1, 0));
  host.toggle(false);
  sendDatagram(listener->address(), "command.WhileOff:5|c\nworker:w-off|s");
  ASSERT_TRUE(waitForLines(*listener, 3, 0)) << "counted by the listener, dropped by the registry";
  host.toggle(true);
  sendDatagram(listener->address(), "command.After:2|c");
  ASSERT_TRUE(waitForLines(*listener, 4, 0));
  const std::string report = host.report();
  EXPECT_EQ(telemetry::test::commandCount(report, "WhileOff"), 0u);
  EXPECT_EQ(telemetry::test::commandCount(report, "Before"), 0u) << "an opt-out forgets";
  EXPECT_EQ(telemetry::test::commandCount(report, "After"), 2u);
  EXPECT_EQ(telemetry::test::metricCount(report, "unique-task-workers"), 0u);
}

TEST_F(HostStatsdTest, LinesThatAreNotUtf8AreRejectedAndCounted) {
  telemetry::Host host(config(true));
  host.start();
  const StatsdListener* listener = host.statsdListener();
  ASSERT_NE(listener, nullptr);
  sendDatagram(listener->address(),
               std::string("command.Bad\xffName:1|c\ncommand.a\0b:1|c\ncommand.Good:1|c", 53));
  ASSERT_TRUE(waitForLines(*listener, 1, 2));
  const std::string report = host.report();
  EXPECT_TRUE(telemetry::isValidUtf8(report));
  EXPECT_EQ(telemetry::test::commandCount(report, "Good"), 1u);
  EXPECT_EQ(telemetry::test::commandCount(report, "other"), 0u) << "dropped, not counted";
}

TEST_F(HostStatsdTest, NoListenerWhenNothingMayBeSent) {
  telemetry::Config c = config(true);
  c.telemetry.reporterActivate = false;
  telemetry::Host host(c);
  host.start();
  EXPECT_EQ(host.statsdListener(), nullptr);
}

TEST_F(HostStatsdTest, AListenerThatCannotBindLeavesTheReporterRunning) {
  UsageRegistry elsewhere;
  StatsdListener taken("127.0.0.1:0", elsewhere);
  telemetry::Config c = config(true);
  c.usage.statsdListen = taken.address();
  telemetry::Host host(c);
  host.start();
  EXPECT_EQ(host.statsdListener(), nullptr);
  EXPECT_TRUE(host.status().reporterActive);
  EXPECT_TRUE(receiver_.waitForRequests(1, 30s)) << "the initial report still goes out";
}

}  // namespace
