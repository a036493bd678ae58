// The reporter lifecycle against a real HTTPS receiver on loopback: initial report once,
// nothing at all when forbidden, periodic reports only while enabled, the final report on
// stop, and counts delivered exactly once across failures. Runs on SQLite and PostgreSQL.
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <thread>

#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "delivery/report_dispatcher.hpp"
#include "delivery/reporter.hpp"
#include "state/installation_id.hpp"
#include "state/state_store.hpp"
#include "telemetry/host.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/captured_log.hpp"
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
using telemetry::test::CapturedLog;
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
  CapturedLog log;
  Host host(c, fast());
  host.start();
  EXPECT_FALSE(host.status().reporterActive);
  EXPECT_EQ(log.count("telemetry reporter not started"), 1u) << "decided in start()";
  host.stop();
  EXPECT_TRUE(receiver_.requests().empty());
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "telemetry-sent.jsonl"));
}

TEST_P(ReporterTest, DoNotTrackMeansNoThreadAndNoRequest) {
  setenv("DO_NOT_TRACK", "1", 1);
  CapturedLog log;
  Host host(config(true, 100ms), fast());
  host.start();
  EXPECT_FALSE(host.status().reporterActive);
  EXPECT_EQ(log.count("telemetry reporter not started"), 1u) << "decided in start()";
  host.stop();
  EXPECT_TRUE(receiver_.requests().empty());
}

// Deletion on request through the embedding API while the reporter runs: the request goes
// at once (woken), is retried with back-off until acknowledged, and is the only thing sent
// while disabled; the waived initial report never goes.
TEST_P(ReporterTest, SendsADeletionRequestWhileDisabledUntilAcknowledged) {
  CapturedLog log;
  receiver_.script({503, 503, 503, 503, 503, 503});  // two rounds of three attempts each
  Host host(config(true, 100ms), fast());
  const std::string old = host.requestDeletion();  // before the initial report went out
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(7, 30s));
  ASSERT_TRUE(log.waitFor("acknowledged by", 1));
  ASSERT_TRUE(log.waitFor("telemetry is disabled: skipped", 3)) << "three reports were due";
  host.stop();
  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 7u) << "six refused, one acknowledged, nothing else";
  for (const auto& request : requests) {
    EXPECT_EQ(request.path, "/deletions");
    EXPECT_EQ(request.body, R"({"installation":")" + old + R"("})");
    EXPECT_EQ(request.headers.at("Idempotency-Key"), requests[0].headers.at("Idempotency-Key"));
  }
  EXPECT_TRUE(host.status().pendingDeletions.empty());
  EXPECT_TRUE(host.status().initialReportWaived);
}

TEST_P(ReporterTest, WhileDisabledOnlyTheInitialReportIsSent) {
  CapturedLog log;
  Host host(config(false, 100ms), fast());
  host.start();
  ASSERT_TRUE(log.waitFor("telemetry is disabled: skipped", 3)) << "three reports were due";
  host.stop();
  EXPECT_EQ(receiver_.requests().size(), 1u) << "no final report while disabled";
}

TEST_P(ReporterTest, EnablingAtRunTimeStartsPeriodicReports) {
  CapturedLog log;
  Host host(config(false, 300ms), fast());
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  host.toggle(true);
  ASSERT_TRUE(receiver_.waitForRequests(3, 30s));
  host.toggle(false);
  // The first skip proves the reporter saw the switch; a report already being sent may
  // still arrive before it. Between it and the next skip nothing may go out.
  ASSERT_TRUE(log.waitFor("telemetry is disabled: skipped", 1));
  const std::size_t seen = receiver_.requests().size();
  ASSERT_TRUE(log.waitFor("telemetry is disabled: skipped", 2));
  EXPECT_EQ(receiver_.requests().size(), seen) << "disabled again";
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
  c.plugins.isolation = telemetry::Isolation::inProcess;
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
  EXPECT_GT(*next, now + 10min - 90s - 1min) << "not at once";
  EXPECT_LT(*next, now + 10min + 90s) << "ten minutes left, +-2.5 % of the period";
}

TEST_P(ReporterTest, StopReturnsWithinTheRequestTimeoutWhenTheCollectorHangs) {
  Config c = config(true);
  c.telemetry.requestTimeout = 1s;
  Host host(c, fast());
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  receiver_.script({TestReceiver::kHang});
  UsageSnapshot counts;
  counts.commands["StartProcessInstanceCmd"] = 2;
  host.state().addUsage(counts, {}, telemetry::StateStore::Clock::now());
  host.stop();  // hangs without the deadline: ctest's timeout is the guard
  ASSERT_EQ(receiver_.requests().size(), 2u) << "the final report was tried once";
  EXPECT_THAT(host.state().lastSend()->error, HasSubstr("timeout after")) << "cut at the deadline";
  EXPECT_EQ(host.state().pendingUsage().commands.at("StartProcessInstanceCmd"), 2u)
      << "not delivered: its counts stay for the next run";
}

TEST_P(ReporterTest, TwoNodesOnOneStoreSendOneInitialReport) {
  CapturedLog log;
  Host a(config(false), fast()), b(config(false), fast());
  a.start();
  b.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  ASSERT_TRUE(log.waitFor("initial report: not sent by this process", 1)) << "the other node";
  a.stop();
  b.stop();
  EXPECT_EQ(receiver_.requests().size(), 1u);
}

TEST_P(ReporterTest, CountsMadeWhileAnotherProcessHadDisabledTelemetryAreNotReported) {
  CapturedLog log;
  Host a(config(true), fast()), cli(config(true), fast());
  a.toggle(false);  // this process's own opt-out must not drop what is counted after it
  a.toggle(true);
  a.usage().command("CountedAfterTheOwnOptIn", 1);
  a.checkpoint();
  EXPECT_EQ(a.state().pendingUsage().commands["CountedAfterTheOwnOptIn"], 1u);
  a.usage().command("CountedAroundTheOptOut", 3);
  cli.toggle(false);  // `telemetry disable` and `enable` before a's next checkpoint
  cli.toggle(true);
  a.checkpoint();
  EXPECT_EQ(log.count("telemetry was disabled since the last checkpoint; dropped 1 command"), 1u);
  a.usage().command("CountedAfterTheOptIn", 2);
  a.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));  // the initial report
  a.stop();                                        // the final report
  auto all = receiver_.bodies();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(commandCount(all[1], "CountedAroundTheOptOut"), 0u);
  EXPECT_EQ(commandCount(all[1], "CountedAfterTheOptIn"), 2u);
  EXPECT_EQ(commandCount(all[1], "CountedAfterTheOwnOptIn"), 0u) << "pending, so dropped by cli";
}

// Hibernation (`telemetry run`): the reporter says when it is idle, suspends without a
// final report, and a new host continues its schedule.
TEST_P(ReporterTest, AnIdleReporterSaysSoAndSuspendsWithoutAFinalReport) {
  HostOptions options = fast();
  std::atomic<int> idleCalls{0};
  options.reporter.onIdle = [&] { ++idleCalls; };
  options.reporter.idleThreshold = 1h;
  Host host(config(true), options);  // enabled: a stop would send a final report
  host.state().recordSend({telemetry::StateStore::Clock::now(), "full", 202, ""});
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s)) << "the initial report";
  for (int i = 0; i < 3000 && idleCalls == 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_GT(idleCalls, 0) << "the next full report is a day away";

  EXPECT_FALSE(host.suspend(48h)) << "not idle for that long: nothing changes";
  // Only while asleep: a checkpoint (every 100 ms here) may have it awake for a moment.
  auto schedule = host.suspend(1h);
  for (int i = 0; i < 3000 && !schedule; ++i) {
    std::this_thread::sleep_for(10ms);
    schedule = host.suspend(1h);
  }
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

TEST(ScheduleJitterTest, KeepsTheMeanIntervalEqualToThePeriod) {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const auto period = std::chrono::milliseconds(24h);
  double sum = 0;
  auto least = period, most = -period;
  constexpr int kSamples = 100000;
  for (int i = 0; i < kSamples; ++i) {
    auto shift = telemetry::scheduleJitter(period, 0.05, uniform(random));
    sum += static_cast<double>(shift.count());
    least = std::min(least, shift);
    most = std::max(most, shift);
  }
  EXPECT_LT(std::abs(sum / kSamples), 60000.0) << "mean within a minute of 0, not +36 min";
  EXPECT_GE(least, -std::chrono::milliseconds(36min));
  EXPECT_LE(most, std::chrono::milliseconds(36min));
  EXPECT_LT(least, -std::chrono::milliseconds(30min)) << "earlier as often as later";
  EXPECT_GT(most, std::chrono::milliseconds(30min));
  EXPECT_EQ(telemetry::scheduleJitter(period, 0.05, 0.0), -std::chrono::milliseconds(36min));
  EXPECT_EQ(telemetry::scheduleJitter(period, 0.05, 0.5), 0ms);
}

TEST(InstallationIdTest, OnlyALowerCaseUuidV4IsValid) {
  EXPECT_FALSE(telemetry::installationIdProblem("8343cc7a-8ad1-42d4-97d2-43452c0bdfa3"));
  for (const char* bad :
       {"", "not-a-uuid", "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "8343CC7A-8AD1-42D4-97D2-43452C0BDFA3", "8343cc7a-8ad1-42d4-c7d2-43452c0bdfa3",
        "8343cc7a8ad142d497d243452c0bdfa3"}) {
    EXPECT_TRUE(telemetry::installationIdProblem(bad)) << bad;
  }
}

TEST_P(ReporterTest, NoReportLeavesWithoutAValidInstallationId) {
  for (const std::string bad : {"", "not-a-uuid", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"}) {
    Host host(config(true), fast());
    {
      auto db = telemetry::storage::openDatabase(store_.location());
      *db.session << db.dialect.sql("UPDATE installation SET installation_id = ?"), bind(bad), now;
    }
    auto initial = host.dispatcher().sendInitial();
    ASSERT_TRUE(initial);
    EXPECT_TRUE(initial->withheld) << bad;
    EXPECT_THAT(initial->error, HasSubstr("installation id")) << bad;
    auto full = host.dispatcher().sendFull();
    EXPECT_TRUE(full.withheld) << bad;
    EXPECT_TRUE(host.status().installationProblem) << bad;
    EXPECT_EQ(host.state().installationId(), bad) << "never silently replaced";
  }
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_P(ReporterTest, AReportDueDuringAnOutageWaitsForTheOwedInitialReport) {
  receiver_.script({500, 500, 500});  // the initial report's first delivery fails
  HostOptions options = fast();
  options.reporter.firstRetryDelay = 3s;  // its retry comes after the full report is due
  Host host(config(true, 300ms), options);
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(5, 60s));
  host.stop();
  auto all = receiver_.bodies();
  EXPECT_TRUE(isInitialReport(all[3])) << "delivered first, before any full report";
  for (std::size_t i = 4; i < all.size(); ++i) EXPECT_FALSE(isInitialReport(all[i]));
}

TEST_P(ReporterTest, TheFirstFullReportComesAMinuteAfterStartNotAPeriodLater) {
  HostOptions options = fast();
  options.reporter.random = [] { return 0.0; };
  Host host(config(true), options);
  host.start();
  auto next = host.status().nextSend;
  const auto now = std::chrono::system_clock::now();
  host.stop();
  ASSERT_TRUE(next);
  EXPECT_GT(*next, now + 30s);
  EXPECT_LT(*next, now + 61s) << "not in 24 h";
}

TEST_P(ReporterTest, TheFirstFullReportComesAMinuteAfterEnableNotAPeriodLater) {
  CapturedLog log;
  HostOptions options = fast();
  options.reporter.random = [] { return 0.0; };
  options.reporter.resume =  // a report due at once, skipped while disabled
      telemetry::ReporterSchedule{std::chrono::system_clock::now(), 0ms, std::nullopt, 0ms};
  Host host(config(false, 10min), options);
  host.state().finishInitialReport(telemetry::StateStore::Clock::now());  // not under test
  host.start();
  ASSERT_TRUE(log.waitFor("telemetry is disabled: skipped", 1));
  host.toggle(true);
  std::optional<std::chrono::system_clock::time_point> next;
  for (int i = 0; i < 600; ++i) {
    next = host.status().nextSend;
    if (next && *next < std::chrono::system_clock::now() + 5min) break;
    std::this_thread::sleep_for(50ms);
  }
  const auto now = std::chrono::system_clock::now();
  host.stop();
  ASSERT_TRUE(next);
  EXPECT_LT(*next, now + 61s) << "a minute after enable, not the 10 min period";
}

TEST_P(ReporterTest, TheStoreHoldsTheReportersOwnPlanWhileItRuns) {
  CapturedLog log;
  Host host(config(true), fast());
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  std::optional<std::chrono::system_clock::time_point> planned;
  for (int i = 0; i < 600 && !planned; ++i) {
    planned = host.state().plannedFullReport();
    if (!planned) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(planned);
  auto own = host.status().nextSend;
  ASSERT_TRUE(own);
  EXPECT_LT(std::chrono::abs(*planned - *own), 1s) << "one computation, jitter included";
  host.stop();
  EXPECT_FALSE(host.state().plannedFullReport()) << "no reporter runs: nothing planned";
}

TEST_P(ReporterTest, AReportRefusedForGoodWaitsAPeriodAndSaysWhy) {
  Config c = config(true, 10min);
  TestReceiver::Answer refused(400);
  refused.body = R"({"error":"command name is not valid UTF-8"})";
  receiver_.script({refused, refused, refused});
  HostOptions options = fast();
  options.reporter.resume =  // the full report is due at once
      telemetry::ReporterSchedule{std::chrono::system_clock::now(), 0ms, std::nullopt, 0ms};
  Host host(c, options);
  host.state().finishInitialReport(telemetry::StateStore::Clock::now());  // not under test
  host.start();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s));
  std::optional<std::chrono::system_clock::time_point> planned;
  for (int i = 0; i < 600 && !(planned && *planned > std::chrono::system_clock::now() + 9min);
       ++i) {
    std::this_thread::sleep_for(50ms);
    planned = host.state().plannedFullReport();
  }
  ASSERT_TRUE(planned);
  EXPECT_GT(*planned, std::chrono::system_clock::now() + 9min) << "not retried in a minute";
  EXPECT_EQ(receiver_.requests().size(), 1u);
  EXPECT_THAT(host.status().lastSend->error, HasSubstr("command name is not valid UTF-8"));
  std::ifstream audit(dir_ / "telemetry-sent.jsonl");
  std::string line;
  std::getline(audit, line);
  EXPECT_THAT(line, HasSubstr("command name is not valid UTF-8"));
  host.stop();
}

INSTANTIATE_TEST_SUITE_P(Backends, ReporterTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
