// `telemetry run`, `send` and friends as operators use them, against a local HTTPS
// receiver: what arrives, when, how often, and that the audit log matches it exactly.
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/test/report_reading.hpp"
#include "telemetry/test/subprocess.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using telemetry::test::commandCount;
using telemetry::test::isInitialReport;
using telemetry::test::Outcome;
using telemetry::test::parseObject;
using telemetry::test::TestReceiver;
using ::testing::HasSubstr;
using ::testing::Not;

namespace {

constexpr const char* kCurl = "/usr/bin/curl";

class DaemonCliTest : public ::testing::Test {
 protected:
  /// A configuration pointing at the receiver, with a one-second period by default.
  fs::path writeConfig(bool initialize, int retries = 0, bool reporterActivate = true,
                       const std::string& period = "1s", const std::string& hibernate = "10m",
                       const std::string& plugins = "plugins: { paths: [no-plugins] }\n") {
    std::ofstream(dir_ / "telemetry.yaml")
        << "telemetry:\n"
        << "  reporter-activate: " << (reporterActivate ? "true" : "false") << "\n"
        << "  initialize: " << (initialize ? "true" : "false") << "\n"
        << "  endpoint: " << receiver_.url() << "\n"
        << "  ca-file: " << TestReceiver::caFile() << "\n"
        << "  reporting-period: " << period << "\n"
        << "  hibernate: " << hibernate << "\n"
        << "  request-timeout: 30s\n"
        << "  request-retries: " << retries << "\n"
        << plugins;
    return dir_ / "telemetry.yaml";
  }

  Outcome telemetry(std::vector<std::string> args,
                    const std::map<std::string, std::string>& env = {},
                    const std::string& input = "") {
    args.insert(args.begin(), {"--config", (dir_ / "telemetry.yaml").string()});
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir_, input, env);
  }

  /// Starts `telemetry run`; its output goes to the test's.
  Poco::ProcessHandle startDaemon() {
    return Poco::Process::launch(TELEMETRY_CLI,
                                 {"--config", (dir_ / "telemetry.yaml").string(), "run"},
                                 dir_.string(), nullptr, nullptr, nullptr);
  }

  /// Starts `telemetry run` at debug level, its log appended to daemon.log (the shell
  /// execs it: same PID), for tests that wait for the line proving a decision.
  Poco::ProcessHandle startLoggedDaemon() {
    return Poco::Process::launch(
        "/bin/sh",
        {"-c", "exec \"$0\" \"$@\" 2>>daemon.log", TELEMETRY_CLI, "--log-level", "debug",
         "--config", (dir_ / "telemetry.yaml").string(), "run"},
        dir_.string(), nullptr, nullptr, nullptr);
  }

  /// How many lines of daemon.log contain `text`.
  std::size_t logCount(const std::string& text) {
    std::ifstream in(dir_ / "daemon.log");
    std::size_t count = 0;
    for (std::string line; std::getline(in, line);) count += line.find(text) != std::string::npos;
    return count;
  }

  /// True once daemon.log holds `count` lines containing `text`; the limit is a hang guard.
  bool waitForLog(const std::string& text, std::size_t count) {
    for (int i = 0; i < 1200; ++i) {
      if (logCount(text) >= count) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  /// The daemon's exit code once it ended; a daemon still running after a minute (the hang
  /// guard) is killed and reported as -1.
  static int exitCode(const Poco::ProcessHandle& daemon) {
    for (int i = 0; i < 1200; ++i) {
      if (int code = daemon.tryWait(); code != -1) return code;
      std::this_thread::sleep_for(50ms);
    }
    ::kill(daemon.id(), SIGKILL);
    daemon.wait();
    return -1;
  }

  static constexpr const char* kSkipped = "telemetry is disabled: skipped";

  /// The audit log's lines with delivered: true, as (report text) in order.
  std::vector<std::string> deliveredInAuditLog() {
    std::ifstream in(dir_ / "telemetry-sent.jsonl");
    std::vector<std::string> reports;
    for (std::string line; std::getline(in, line);) {
      auto entry = parseObject(line);
      if (!entry->getValue<bool>("delivered")) continue;
      // The payload is spliced in verbatim after "report":, so cut it out as text.
      const auto at = line.find("\"report\":") + 9;
      reports.push_back(line.substr(at, line.size() - at - 1));
    }
    return reports;
  }

  /// The sum of `command`'s counts over every report after the first, which must be the
  /// one initial report.
  static std::uint64_t countedAfterTheInitialReport(const std::vector<std::string>& bodies,
                                                    const std::string& command) {
    EXPECT_TRUE(isInitialReport(bodies.at(0)));
    std::uint64_t counted = 0;
    for (std::size_t i = 1; i < bodies.size(); ++i) {
      EXPECT_FALSE(isInitialReport(bodies[i])) << "the initial report is sent once";
      counted += commandCount(bodies[i], command);
    }
    return counted;
  }

  /// `command`'s count in the last report that carried it. The counts made just before
  /// SIGTERM go out in the final report, or in a periodic one the reporter was already
  /// sending when the signal came (then the final report carries none).
  static std::uint64_t lastCountOf(const std::vector<std::string>& bodies,
                                   const std::string& command) {
    for (auto body = bodies.rbegin(); body != bodies.rend(); ++body) {
      if (auto count = commandCount(*body, command); count != 0) return count;
    }
    return 0;
  }

  telemetry::test::TempDirectory temp_;
  const fs::path& dir_ = temp_.path();
  TestReceiver receiver_;
};

TEST_F(DaemonCliTest, RunSendsInitialOnceThenPeriodicReportsOnlyWhileEnabledAndAFinalOne) {
  writeConfig(false);
  Poco::ProcessHandle daemon = startLoggedDaemon();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s)) << "the initial report";
  ASSERT_TRUE(waitForLog(kSkipped, 2)) << "two reports were due";
  EXPECT_EQ(receiver_.requests().size(), 1u) << "disabled: nothing but the initial";

  ASSERT_EQ(telemetry({"usage", "command", "StartProcessInstanceCmd", "3"}).exitCode, 0);
  ASSERT_EQ(telemetry({"enable"}).exitCode, 0);
  ASSERT_EQ(telemetry({"usage", "command", "StartProcessInstanceCmd", "4"}).exitCode, 0);
  // Enabled: one report per period. Wait for the one carrying the 4, not for a number of
  // reports: on a slow machine several can go out before the CLI has counted it.
  auto fourDelivered = [&] {
    return countedAfterTheInitialReport(receiver_.bodies(), "StartProcessInstanceCmd") == 4u;
  };
  for (int i = 0; i < 300 && !fourDelivered(); ++i) std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(fourDelivered()) << "enabled: the count is reported within a period";

  ASSERT_EQ(telemetry({"disable"}).exitCode, 0);
  const std::size_t skipped = logCount(kSkipped);
  // The first skip proves the daemon saw the switch (a report already on its way may
  // still arrive before it); from then on two more periods pass without a request.
  ASSERT_TRUE(waitForLog(kSkipped, skipped + 1));
  const std::size_t whileEnabled = receiver_.requests().size();
  ASSERT_TRUE(waitForLog(kSkipped, skipped + 3));
  EXPECT_EQ(receiver_.requests().size(), whileEnabled) << "disabled again";

  ASSERT_EQ(telemetry({"enable"}).exitCode, 0);
  ASSERT_EQ(telemetry({"usage", "command", "StartProcessInstanceCmd", "5"}).exitCode, 0);
  std::this_thread::sleep_for(200ms);
  ::kill(daemon.id(), SIGTERM);
  EXPECT_EQ(daemon.wait(), 0);

  auto bodies = receiver_.bodies();
  ASSERT_GE(bodies.size(), 3u);  // the initial, the one with the 4, the final one
  // 3 was counted while disabled (dropped), 4 while enabled, 5 just before SIGTERM.
  EXPECT_EQ(countedAfterTheInitialReport(bodies, "StartProcessInstanceCmd"), 4u + 5u);
  EXPECT_EQ(lastCountOf(bodies, "StartProcessInstanceCmd"), 5u) << "flushed on stop";
  EXPECT_EQ(deliveredInAuditLog(), bodies) << "the audit log holds exactly what arrived";
  EXPECT_EQ(fs::status(dir_ / "telemetry-sent.jsonl").permissions(),
            fs::perms::owner_read | fs::perms::owner_write);
}

// Idle between reports, `telemetry run` waits in telemetry-idle (same process, a fraction
// of the memory), comes back for each report and for SIGTERM's final report.
TEST_F(DaemonCliTest, IdleTheDaemonHibernatesAndWakesForEachReportAndForTheFinalOne) {
  writeConfig(true, 0, true, "3s", "1s");
  ASSERT_EQ(telemetry({"usage", "command", "StartProcessInstanceCmd", "2"}).exitCode, 0);
  Poco::ProcessHandle daemon = startDaemon();
  const fs::path exe = fs::path("/proc") / std::to_string(daemon.id()) / "exe";
  ASSERT_TRUE(receiver_.waitForRequests(2, 30s)) << "the initial and the first full report";

  bool hibernating = false;
  for (int i = 0; i < 200 && !hibernating; ++i) {
    std::error_code error;
    hibernating = fs::read_symlink(exe, error).filename() == "telemetry-idle";
    if (!hibernating) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(hibernating) << "the daemon never waited in telemetry-idle";
  ASSERT_TRUE(receiver_.waitForRequests(3, 30s)) << "woken for the next period";

  ASSERT_EQ(telemetry({"usage", "command", "StartProcessInstanceCmd", "5"}).exitCode, 0);
  ::kill(daemon.id(), SIGTERM);
  EXPECT_EQ(daemon.wait(), 0);

  auto bodies = receiver_.bodies();
  ASSERT_GE(bodies.size(), 4u);
  EXPECT_EQ(countedAfterTheInitialReport(bodies, "StartProcessInstanceCmd"), 2u + 5u)
      << "every count once, across the process images";
  EXPECT_EQ(lastCountOf(bodies, "StartProcessInstanceCmd"), 5u) << "flushed on stop";
  EXPECT_EQ(deliveredInAuditLog(), bodies);
}

TEST_F(DaemonCliTest, ACollectorFailingThreeTimesGetsEveryCountOnce) {
  writeConfig(true, 2);
  ASSERT_EQ(telemetry({"send", "--initial"}).exitCode, 0);
  ASSERT_EQ(telemetry({"usage", "command", "FetchExternalTasksCmd", "7"}).exitCode, 0);
  receiver_.script({500, 500, 500});  // one whole delivery: the try and both retries
  Poco::ProcessHandle daemon = startDaemon();
  ASSERT_TRUE(receiver_.waitForRequests(5, 60s)) << "three failures, then a 202";
  ::kill(daemon.id(), SIGTERM);
  EXPECT_EQ(daemon.wait(), 0);

  auto requests = receiver_.requests();
  std::uint64_t delivered = 0;
  for (std::size_t i = 4; i < requests.size(); ++i) {
    delivered += commandCount(requests[i].body, "FetchExternalTasksCmd");
  }
  EXPECT_EQ(delivered, 7u) << "once, none twice";
  EXPECT_EQ(requests[1].headers.at("Idempotency-Key"), requests[3].headers.at("Idempotency-Key"));
  EXPECT_NE(requests[3].headers.at("Idempotency-Key"), requests[4].headers.at("Idempotency-Key"));
  auto audited = deliveredInAuditLog();
  ASSERT_EQ(audited.size(), requests.size() - 3) << "failed deliveries are not 'delivered'";
  EXPECT_EQ(audited.back(), requests.back().body);
}

/// Whether process directory `proc` is a telemetry-probe collecting: started (exec'd) and
/// not one of the catalog's `--describe` children.
bool isCollecting(const fs::path& proc) {
  std::ifstream in(proc / "cmdline");
  std::string arguments((std::istreambuf_iterator<char>(in)), {});
  return arguments.find(std::string("--plugin\0", 9)) != std::string::npos &&
         arguments.find(std::string("--describe\0", 11)) == std::string::npos;
}

// True once process `parent` has a child collecting (its probe, not a child reading a
// plugin's descriptor), found by the parents in /proc/*/stat.
bool hasChild(Poco::ProcessHandle::PID parent) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string text;
    if (!std::getline(stat, text)) continue;
    const auto close = text.rfind(')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos) continue;
    std::istringstream fields(text.substr(close + 2));
    std::string state;
    long ppid = 0;
    if (fields >> state >> ppid && ppid == parent && isCollecting(entry.path())) return true;
  }
  return false;
}

TEST_F(DaemonCliTest, SendExits4WhenTelemetryIsDisabledWhileItsProbesRun) {
  writeConfig(true, 0, true, "1s", "10m",
              std::string("plugins:\n  paths: [\"") + TELEMETRY_MOCK_PLUGIN_DIR +
                  "\"]\n  isolation: process\n  timeout: 60s\n"
                  "  enabled: [{ name: mock-sleeps, settings: { ms: 6000 } }]\n");
  ASSERT_EQ(telemetry({"status"}).exitCode, 0) << "creates the store, opted in";

  Poco::Pipe errors;
  Poco::ProcessHandle send =
      Poco::Process::launch(TELEMETRY_CLI, {"--config", (dir_ / "telemetry.yaml").string(), "send"},
                            dir_.string(), nullptr, nullptr, &errors);
  // A probe child proves `send` checked the switch and is building the report (6 s of it).
  for (int i = 0; i < 600 && !hasChild(send.id()); ++i) std::this_thread::sleep_for(100ms);
  ASSERT_EQ(telemetry({"disable"}).exitCode, 0);
  Poco::PipeInputStream stderrText(errors);
  std::string err(std::istreambuf_iterator<char>(stderrText), {});
  EXPECT_EQ(send.wait(), 4) << err;
  EXPECT_THAT(err, HasSubstr("nothing sent: telemetry was disabled while the report was being"));
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_F(DaemonCliTest, SendSaysWhyNothingWasSentWithExitCodes3And4) {
  writeConfig(false);
  Outcome disabled = telemetry({"send"});
  EXPECT_EQ(disabled.exitCode, 4);
  EXPECT_THAT(disabled.err, HasSubstr("disabled"));

  Outcome initial = telemetry({"send", "--initial"});
  EXPECT_EQ(initial.exitCode, 0) << initial.err;
  Outcome again = telemetry({"send", "--initial"});
  EXPECT_EQ(again.exitCode, 4);
  EXPECT_THAT(again.err, HasSubstr("only once"));

  ASSERT_EQ(telemetry({"enable"}).exitCode, 0);
  Outcome notTracked = telemetry({"send"}, {{"DO_NOT_TRACK", "1"}});
  EXPECT_EQ(notTracked.exitCode, 4);
  EXPECT_THAT(notTracked.err, HasSubstr("DO_NOT_TRACK"));

  receiver_.script({503});
  Outcome failed = telemetry({"send"});
  EXPECT_EQ(failed.exitCode, 3);
  EXPECT_THAT(failed.err, HasSubstr("HTTP 503"));

  EXPECT_EQ(telemetry({"send"}).exitCode, 0);
  EXPECT_EQ(receiver_.requests().size(), 3u) << "initial, the failed one, the delivered one";
}

/// A port nothing listens on right now (the kernel's pick, released again).
int freePort() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  return probe.address().port();
}

TEST_F(DaemonCliTest, SwitchedOffWithCurlThroughTheRestApiTheNextPeriodSendsNothing) {
  writeConfig(true);
  const std::string api = "http://127.0.0.1:" + std::to_string(freePort());
  std::ofstream(dir_ / "telemetry.yaml", std::ios::app)
      << "api:\n  listen: " << api.substr(7) << "\n  users-file: users.yaml\n";
  ASSERT_EQ(
      telemetry({"user", "add", "admin", "--group", "telemetry-admin"}, {}, "admin-pw\n").exitCode,
      0);
  ASSERT_EQ(telemetry({"user", "add", "operator"}, {}, "operator-pw\n").exitCode, 0);
  // What an operator types: the HTTP status is all curl prints.
  auto curl = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"-s", "-o", "/dev/null", "-w", "%{http_code}"});
    args.push_back(api + "/telemetry/configuration");
    return telemetry::test::runProgram(kCurl, args, dir_).out;
  };
  const std::vector<std::string> switchOff = {
      "-X", "POST", "-H", "Content-Type: application/json", "-d", R"({"enableTelemetry":false})"};
  auto as = [&](std::string login, std::vector<std::string> args) {
    args.insert(args.begin(), {"-u", login});
    return args;
  };

  Poco::ProcessHandle daemon = startLoggedDaemon();
  ASSERT_TRUE(receiver_.waitForRequests(2, 30s)) << "the initial report, then a full one";
  for (int i = 0; i < 100 && curl({}) == "000"; ++i) std::this_thread::sleep_for(100ms);
  EXPECT_EQ(curl(switchOff), "401") << "no credentials";
  EXPECT_EQ(curl(as("operator:operator-pw", switchOff)), "403") << "not in telemetry-admin";
  EXPECT_EQ(curl(as("admin:wrong", switchOff)), "401");
  ASSERT_EQ(curl(as("admin:admin-pw", switchOff)), "204");

  // The first skip proves the daemon saw the switch (a report already on its way may still
  // arrive before it); from then on two more periods pass without a request.
  const std::size_t skipped = logCount(kSkipped);
  ASSERT_TRUE(waitForLog(kSkipped, skipped + 1));
  const std::size_t beforeOff = receiver_.requests().size();
  ASSERT_TRUE(waitForLog(kSkipped, skipped + 3));
  EXPECT_EQ(receiver_.requests().size(), beforeOff) << "disabled: nothing sent";
  ::kill(daemon.id(), SIGTERM);
  EXPECT_EQ(daemon.wait(), 0);
  EXPECT_EQ(receiver_.requests().size(), beforeOff) << "no final report while disabled";
  EXPECT_FALSE(parseObject(telemetry({"status", "--json"}).out)->getValue<bool>("enabled"));
}

TEST_F(DaemonCliTest, ReporterActivateFalseMeansTheDaemonSendsNothing) {
  writeConfig(true, 0, false);
  Poco::ProcessHandle daemon = startLoggedDaemon();
  ASSERT_TRUE(waitForLog("telemetry reporter not started", 1)) << "the decision";
  ASSERT_TRUE(waitForLog("SIGTERM or SIGINT stops it", 1)) << "running, signals handled";
  ::kill(daemon.id(), SIGTERM);
  EXPECT_EQ(daemon.wait(), 0);
  EXPECT_TRUE(receiver_.requests().empty());
  EXPECT_EQ(telemetry({"send"}).exitCode, 4);
}

TEST_F(DaemonCliTest, StatusAndLicenseKey) {
  writeConfig(true);
  std::ofstream(dir_ / "license.txt") << "customer=ACME;expiryDate=2030-01-31;camundaBPM=true\n";
  ASSERT_EQ(telemetry({"license", "set", "license.txt"}).exitCode, 0);
  ASSERT_EQ(telemetry({"send"}).exitCode, 0);
  auto status = parseObject(telemetry({"status", "--json"}).out);
  EXPECT_TRUE(status->getValue<bool>("enabled"));
  EXPECT_EQ(status->getObject("last-send")->getValue<int>("http-status"), 202);
  EXPECT_TRUE(status->get("next-send").isEmpty()) << "no reporter runs: nothing planned";
  EXPECT_EQ(telemetry({"license", "clear"}).exitCode, 0);
  EXPECT_EQ(telemetry({"license", "set", "missing.txt"}).exitCode, 2);
}

// A stop signal that reaches telemetry-idle must end the daemon at once: the resumed image
// must not hibernate again because its own "idle" signal (SIGUSR1) came first.
TEST_F(DaemonCliTest, SigtermWhileHibernatingStopsWithoutHibernatingAgain) {
  writeConfig(false, 0, true, "1h", "1s");
  Poco::ProcessHandle daemon = startLoggedDaemon();
  const fs::path exe = fs::path("/proc") / std::to_string(daemon.id()) / "exe";
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s)) << "the initial report";
  ASSERT_TRUE(waitForLog("hibernating in", 1));
  bool hibernating = false;
  for (int i = 0; i < 600 && !hibernating; ++i) {
    std::error_code error;
    hibernating = fs::read_symlink(exe, error).filename() == "telemetry-idle";
    if (!hibernating) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(hibernating);
  const std::size_t hibernations = logCount("hibernating in");
  ::kill(daemon.id(), SIGTERM);
  EXPECT_EQ(exitCode(daemon), 0);
  EXPECT_EQ(logCount("SIGTERM received: stopping"), 1u);
  EXPECT_EQ(logCount("hibernating in"), hibernations) << "no cycle after SIGTERM";
  EXPECT_EQ(logCount("telemetry daemon resumed"), hibernations) << "woken once, to stop";
}

TEST_F(DaemonCliTest, StatusShowsTheRunningDaemonsPlanAndNoneOtherwise) {
  writeConfig(true, 0, true, "1h");
  Poco::ProcessHandle daemon = startLoggedDaemon();
  ASSERT_TRUE(receiver_.waitForRequests(1, 30s)) << "the initial report";
  Poco::Dynamic::Var next;
  for (int i = 0; i < 600 && next.isEmpty(); ++i) {
    next = parseObject(telemetry({"status", "--json"}).out)->get("next-send");
    if (next.isEmpty()) std::this_thread::sleep_for(50ms);
  }
  EXPECT_FALSE(next.isEmpty()) << "the daemon's plan, read from the store";
  EXPECT_THAT(telemetry({"status"}, {{"DO_NOT_TRACK", "1"}}).out,
              HasSubstr("next send:           never (DO_NOT_TRACK is set)"));
  ::kill(daemon.id(), SIGTERM);
  EXPECT_EQ(exitCode(daemon), 0);
  EXPECT_TRUE(parseObject(telemetry({"status", "--json"}).out)->get("next-send").isEmpty());
  EXPECT_THAT(telemetry({"status"}).out, HasSubstr("when 'telemetry run' starts"));
  ASSERT_EQ(telemetry({"disable"}).exitCode, 0);
  EXPECT_THAT(telemetry({"status"}).out, HasSubstr("none while telemetry is disabled"));
}

TEST_F(DaemonCliTest, SendOnAFreshStoreShowsTheFirstRunNoticeForTheSwitchAsItIs) {
  writeConfig(true);
  Outcome initial = telemetry({"send", "--initial"});
  EXPECT_EQ(initial.exitCode, 0) << initial.err;
  EXPECT_THAT(initial.err, HasSubstr("one-time anonymous initial report"));
  EXPECT_THAT(initial.err, HasSubstr("Telemetry is enabled"));
  EXPECT_THAT(initial.err, Not(HasSubstr("Nothing else is sent")));
  EXPECT_THAT(telemetry({"send"}).err, Not(HasSubstr("one-time anonymous initial report")))
      << "delivered: not again";

  for (const char* file :
       {"telemetry-state.db", "telemetry-state.db-wal", "telemetry-state.db-shm"}) {
    fs::remove(dir_ / file);
  }
  writeConfig(false);
  Outcome off = telemetry({"send"});
  EXPECT_EQ(off.exitCode, 4);
  EXPECT_THAT(off.err, HasSubstr("Nothing else is sent unless telemetry is enabled"));
}

}  // namespace

namespace {

// In process mode a plugin whose loading crashes, exits or hangs costs only itself: the
// daemon comes up, sends reports with the other sections and serves the REST API.
TEST_F(DaemonCliTest, PluginsWhoseLoadingCrashesExitsOrHangsLeaveTheDaemonAndRestApiUp) {
  writeConfig(true, 0, true, "1s", "10m", R"(plugins:
  paths: [")" TELEMETRY_MOCK_LOADING_PLUGIN_DIR R"(", ")" TELEMETRY_MOCK_PLUGIN_DIR R"("]
  isolation: process
  timeout: 3s
  enabled: [mock-constructor-segfaults, mock-constructor-exits, mock-constructor-hangs, mock-good]
)");
  const std::string api = "http://127.0.0.1:" + std::to_string(freePort());
  std::ofstream(dir_ / "telemetry.yaml", std::ios::app)
      << "api:\n  listen: " << api.substr(7) << "\n  users-file: users.yaml\n";
  ASSERT_EQ(telemetry({"user", "add", "operator"}, {}, "operator-pw\n").exitCode, 0);

  Poco::ProcessHandle daemon = startLoggedDaemon();
  ASSERT_TRUE(receiver_.waitForRequests(2, 60s)) << "the initial report, then a full one";
  EXPECT_TRUE(parseObject(receiver_.bodies().at(1))
                  ->getObject("product")
                  ->getObject("internals")
                  ->has("database"));
  EXPECT_EQ(logCount("mock_constructor_hangs.so: refused: loading it in telemetry-probe"), 1u);
  Outcome data;
  for (int i = 0; i < 100; ++i) {
    data = telemetry::test::runProgram(
        kCurl, {"-s", "-f", "-u", "operator:operator-pw", api + "/telemetry/data"}, dir_);
    if (data.exitCode == 0) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(data.exitCode, 0) << data.err;
  EXPECT_TRUE(parseObject(data.out)->getObject("product")->getObject("internals")->has("database"));
  ::kill(daemon.id(), SIGTERM);
  EXPECT_EQ(exitCode(daemon), 0);
}

}  // namespace
