// The reporter lifecycle against a real HTTPS receiver on loopback: initial report once,
// nothing at all when forbidden, periodic reports only while enabled, the final report on
// stop, and counts delivered exactly once across failures. Runs on SQLite and PostgreSQL.
#include <atomic>
#include <cstdlib>
#include <thread>

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/host.hpp"
#include "telemetry/report_dispatcher.hpp"
#include "telemetry/state_store.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/report_reading.hpp"
#include "telemetry/test/store_location.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"

namespace {

using namespace std::chrono_literals;
using namespace Poco::Data::Keywords;
using telemetry::Config;
using telemetry::Host;
using telemetry::HostOptions;
using telemetry::UsageSnapshot;
using telemetry::test::commandCount;
using telemetry::test::isInitialReport;
using telemetry::test::parseObject;
using telemetry::test::StoreLocation;
using telemetry::test::TestReceiver;
using ::testing::HasSubstr;

class ReporterTest : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override { unsetenv("DO_NOT_TRACK"); }

  Config config(bool enabled, std::chrono::milliseconds period = 24h) {
    Config c;
    c.telemetry.endpoint = receiver_.url();
    c.telemetry.caFile = receiver_.caFile();
    c.telemetry.initialize = enabled;
    c.telemetry.reportingPeriod = period;
    c.telemetry.requestTimeout = 5s;
    c.telemetry.requestRetries = 2;
    c.state.path = store_.location();
    c.state.auditLog = (dir_.path() / "telemetry-sent.jsonl").string();
    c.plugins.paths = {dir_.path() / "no-plugins"};
    return c;
  }

  static HostOptions fast() {
    HostOptions options;
    options.sender.initialBackoff = 10ms;
    options.sender.maxBackoff = 100ms;
    options.reporter.checkpointInterval = 100ms;
    options.reporter.firstRetryDelay = 50ms;
    return options;
  }

  telemetry::test::TempDirectory dir_;
  StoreLocation store_{GetParam(), dir_.path()};
  TestReceiver receiver_;
};

TEST_P(ReporterTest, SendsTheInitialReportExactlyOnceAcrossRestarts) {
  for (int run = 0; run < 3; ++run) {
    Host host(config(false), fast());
    host.start();
    ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
    host.stop();
  }
  auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(isInitialReport(requests[0].body));
  EXPECT_EQ(parseObject(requests[0].body)->getValue<std::string>("installation"),
            telemetry::StateStore(store_.location(), false).installationId());
}

TEST_P(ReporterTest, ReporterActivateFalseMeansNoThreadAndNoRequest) {
  Config c = config(true, 100ms);
  c.telemetry.reporterActivate = false;
  Host host(c, fast());
  host.start();
  EXPECT_FALSE(host.status().reporterActive);
  EXPECT_FALSE(receiver_.waitForRequests(1, 1s));
  host.stop();
  EXPECT_TRUE(receiver_.requests().empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "telemetry-sent.jsonl"));
}

TEST_P(ReporterTest, DoNotTrackMeansNoThreadAndNoRequest) {
  setenv("DO_NOT_TRACK", "1", 1);
  Host host(config(true, 100ms), fast());
  host.start();
  EXPECT_FALSE(host.status().reporterActive);
  EXPECT_FALSE(receiver_.waitForRequests(1, 1s));
  host.stop();
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_P(ReporterTest, WhileDisabledOnlyTheInitialReportIsSent) {
  Host host(config(false, 100ms), fast());
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  EXPECT_FALSE(receiver_.waitForRequests(2, 1s)) << "ten periods passed";
  host.stop();
  EXPECT_EQ(receiver_.requests().size(), 1u) << "no final report while disabled";
}

TEST_P(ReporterTest, EnablingAtRunTimeStartsPeriodicReports) {
  Host host(config(false, 300ms), fast());
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  host.toggle(true);
  ASSERT_TRUE(receiver_.waitForRequests(3, 30s));
  host.toggle(false);
  const std::size_t seen = receiver_.requests().size();
  EXPECT_FALSE(receiver_.waitForRequests(seen + 1, 1s)) << "disabled again";
  host.stop();
  auto all = receiver_.bodies();
  EXPECT_TRUE(isInitialReport(all[0]));
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_FALSE(isInitialReport(all[i]));
}

TEST_P(ReporterTest, StopSendsTheFinalReportWithTheCountsSoFar) {
  Host host(config(true), fast());
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));  // the initial report
  UsageSnapshot counts;
  counts.commands["StartProcessInstanceCmd"] = 3;
  host.state().addUsage(counts, {}, telemetry::StateStore::Clock::now());
  host.stop();
  auto all = receiver_.bodies();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(commandCount(all[1], "StartProcessInstanceCmd"), 3u);
  EXPECT_TRUE(host.state().pendingUsage().commands.empty()) << "delivered, so subtracted";
}

TEST_P(ReporterTest, NothingIsSentWhenTelemetryIsDisabledWhileTheProbesRun) {
  Config c = config(true);
  c.plugins.paths = {TELEMETRY_MOCK_PLUGIN_DIR};
  c.plugins.isolation = telemetry::Isolation::in_process;
  c.plugins.timeout = 60s;
  c.plugins.enabled = {{"mock-sleeps", R"({"ms": 3000})", 0}};
  Host host(c, fast());
  host.state().finishInitialReport(telemetry::StateStore::Clock::now());  // not under test
  // Disabled while the probe sleeps (or, on a slow machine, even before it starts).
  std::thread disabler([&host] { host.toggle(false); });
  auto delivery = host.dispatcher().sendFull();
  disabler.join();
  EXPECT_FALSE(delivery.delivered);
  EXPECT_TRUE(delivery.withheld);
  EXPECT_EQ(delivery.attempts, 0);
  EXPECT_THAT(delivery.error, HasSubstr("disabled while the report was being built"));
  EXPECT_TRUE(receiver_.requests().empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "telemetry-sent.jsonl"));
}

TEST_P(ReporterTest, AFailingCollectorGetsEveryCountOnceWhenItRecovers) {
  receiver_.script({500, 500, 500});  // one whole delivery (1 try + 2 retries) fails
  Config c = config(true);
  Host host(c, fast());
  host.state().finishInitialReport(telemetry::StateStore::Clock::now());  // not under test
  UsageSnapshot counts;
  counts.commands["StartProcessInstanceCmd"] = 5;
  host.state().addUsage(counts, {}, telemetry::StateStore::Clock::now());
  auto failed = host.dispatcher().sendFull();
  EXPECT_FALSE(failed.delivered);
  EXPECT_EQ(failed.attempts, 3);
  EXPECT_EQ(host.state().pendingUsage().commands.at("StartProcessInstanceCmd"), 5u);

  counts.commands["StartProcessInstanceCmd"] = 2;
  host.state().addUsage(counts, {}, telemetry::StateStore::Clock::now());
  auto delivered = host.dispatcher().sendFull();  // the receiver answers 202 now
  EXPECT_TRUE(delivered.delivered);
  auto all = receiver_.bodies();
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(commandCount(all[3], "StartProcessInstanceCmd"), 7u);
  EXPECT_TRUE(host.state().pendingUsage().commands.empty());
  auto requests = receiver_.requests();
  EXPECT_EQ(requests[0].headers.at("Idempotency-Key"), requests[2].headers.at("Idempotency-Key"))
      << "retries of one report carry its key";
  EXPECT_NE(requests[2].headers.at("Idempotency-Key"), requests[3].headers.at("Idempotency-Key"));
}

TEST_P(ReporterTest, TheReporterThreadRetriesAFailedReportSoon) {
  receiver_.script({202, 500, 500, 500});  // initial ok, then the first full report fails
  Host host(config(true, 200ms), fast());
  UsageSnapshot counts;
  counts.commands["FetchExternalTasksCmd"] = 4;
  host.state().addUsage(counts, {}, telemetry::StateStore::Clock::now());
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(5, 30s));
  host.stop();
  auto all = receiver_.bodies();
  std::uint64_t delivered = 0;
  auto requests = receiver_.requests();
  for (std::size_t i = 4; i < all.size(); ++i) {
    delivered += commandCount(all[i], "FetchExternalTasksCmd");
  }
  EXPECT_EQ(delivered, 4u) << "sent again after the failure, and only once after that";
}

TEST_P(ReporterTest, ThePeriodCountsFromTheLastDeliveredReportAcrossRestarts) {
  const auto period = std::chrono::milliseconds(1h);
  {
    telemetry::StateStore state(store_.location(), true);
    state.finishInitialReport(telemetry::StateStore::Clock::now());
    state.recordSend({telemetry::StateStore::Clock::now() - 50min, "full", 202, ""});
  }
  Host host(config(true, period), fast());
  host.start();
  auto next = host.status().nextSend;
  host.stop();
  ASSERT_TRUE(next);
  const auto now = std::chrono::system_clock::now();
  EXPECT_GT(*next, now + 9min) << "not at once";
  EXPECT_LT(*next, now + 10min + 3min + 1min) << "ten minutes left, plus up to 5 % jitter";
}

TEST_P(ReporterTest, StopReturnsWithinTheRequestTimeoutWhenTheCollectorHangs) {
  Config c = config(true);
  c.telemetry.requestTimeout = 1s;
  Host host(c, fast());
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  receiver_.script({TestReceiver::kHang});
  const auto before = std::chrono::steady_clock::now();
  host.stop();
  // Generous: proves "bounded", not a timing; the contract is timeout + 1 s.
  EXPECT_LT(std::chrono::steady_clock::now() - before, 10s);
}

TEST_P(ReporterTest, TwoNodesOnOneStoreSendOneInitialReport) {
  Host a(config(false), fast()), b(config(false), fast());
  a.start();
  b.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  EXPECT_FALSE(receiver_.waitForRequests(2, 1s));
  a.stop();
  b.stop();
  EXPECT_EQ(receiver_.requests().size(), 1u);
}

// Hibernation (`telemetry run`): the reporter says when it is idle, suspends without a
// final report, and a new host continues its schedule.
TEST_P(ReporterTest, AnIdleReporterSaysSoAndSuspendsWithoutAFinalReport) {
  HostOptions options = fast();
  std::atomic<int> idleCalls{0};
  options.reporter.onIdle = [&] { ++idleCalls; };
  options.reporter.idleThreshold = 1h;
  Host host(config(true), options);  // enabled: a stop would send a final report
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s)) << "the initial report";
  for (int i = 0; i < 3000 && idleCalls == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_GT(idleCalls, 0) << "the next full report is a day away";

  EXPECT_FALSE(host.suspend(48h)) << "not idle for that long: nothing changes";
  auto schedule = host.suspend(1h);
  ASSERT_TRUE(schedule);
  EXPECT_GT(schedule->nextFull, std::chrono::system_clock::now() + 23h);
  EXPECT_FALSE(schedule->nextInitialTry) << "the initial report was delivered";
  EXPECT_FALSE(host.status().reporterActive);
  host.stop();
  EXPECT_EQ(receiver_.requests().size(), 1u) << "no final report after suspending";
}

TEST_P(ReporterTest, AResumedReporterSendsWhatIsDueWithoutTheDelayAfterStart) {
  {
    Host first(config(false), fast());
    first.start();
    ASSERT_TRUE(receiver_.waitForRequests(1, 30s)) << "the initial report";
  }
  HostOptions options = fast();
  options.reporter.resume =
      telemetry::ReporterSchedule{std::chrono::system_clock::now(), 0ms, std::nullopt, 0ms};
  Host host(config(false), options);
  host.toggle(true);
  host.start();
  // A fresh start would wait at least a minute (or a period) before a full report.
  ASSERT_TRUE(receiver_.waitForRequests(2, 30s)) << "the report that was due";
  EXPECT_FALSE(isInitialReport(receiver_.requests()[1].body));
  host.stop();
}

TEST_P(ReporterTest, AResumedReporterKeepsItsInitialReportRetry) {
  HostOptions options = fast();
  options.reporter.resume = telemetry::ReporterSchedule{
      std::chrono::system_clock::now() + 24h, 0ms, std::chrono::system_clock::now() + 1h, 2min};
  // Suspending needs the reporter asleep: wait until it says it is idle.
  std::atomic<int> idleCalls{0};
  options.reporter.onIdle = [&] { ++idleCalls; };
  options.reporter.idleThreshold = 30min;
  Host host(config(false), options);
  host.start();
  for (int i = 0; i < 3000 && idleCalls == 0; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_GT(idleCalls, 0) << "the retry is an hour away, the next report a day";
  EXPECT_TRUE(receiver_.requests().empty());
  auto schedule = host.suspend(30min);
  ASSERT_TRUE(schedule);
  ASSERT_TRUE(schedule->nextInitialTry);
  EXPECT_EQ(schedule->initialRetryDelay, 2min);
  EXPECT_GT(*schedule->nextInitialTry, std::chrono::system_clock::now() + 50min);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReporterTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
