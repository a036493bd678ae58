// Usage counted from outside the product, the way scripts do it: `telemetry usage`, alone
// and concurrently, into `report` and `send`, and across a daemon killed with SIGKILL; and
// StatsD lines sent to a running `telemetry run`, which holds them until a checkpoint.
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <limits>
#include <mutex>
#include <thread>

#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/URI.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/test/report_reading.hpp"
#include "telemetry/test/subprocess.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using telemetry::test::commandCount;
using telemetry::test::metricCount;
using telemetry::test::Outcome;
using telemetry::test::TestReceiver;
using ::testing::HasSubstr;

namespace {

// Only against a hang: a daemon still running after this is killed, which ends its log.
constexpr auto kHangGuard = 90s;

/// `telemetry run` in the background, with its log (stderr) read line by line.
class Daemon {
 public:
  explicit Daemon(const fs::path& config, const std::vector<std::string>& options = {})
      : process_(Poco::Process::launch(TELEMETRY_CLI, arguments(config, options),
                                       config.parent_path().string(), nullptr, nullptr, &log_)),
        logStream_(log_),
        hangGuard_([pid = process_.id()](std::stop_token stop) {
          std::mutex mutex;
          std::unique_lock lock(mutex);
          std::condition_variable_any().wait_for(lock, stop, kHangGuard, [] { return false; });
          if (!stop.stop_requested()) ::kill(pid, SIGKILL);
        }) {}
  ~Daemon() {
    if (!Poco::Process::isRunning(process_)) return;
    Poco::Process::kill(process_);  // a failed test must not leave it running
    process_.wait();
  }
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Reads the log up to the first line holding `text` and returns it; "" if the log ended.
  std::string waitForLog(std::string_view text) {
    for (std::string line; std::getline(logStream_, line);) {
      if (line.find(text) != std::string::npos) return line;
    }
    return {};
  }
  /// Waits until it is up: signals are then handled, not fatal.
  bool waitUntilRunning() { return !waitForLog("telemetry daemon running").empty(); }

  void signal(int number) { ::kill(process_.id(), number); }
  /// Reads the rest of the log and waits for the exit code.
  int wait() {
    for (std::string line; std::getline(logStream_, line);) {
    }
    return process_.wait();
  }

 private:
  static std::vector<std::string> arguments(const fs::path& config,
                                            const std::vector<std::string>& options) {
    std::vector<std::string> args{"--config", config.string()};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back("run");
    return args;
  }

  Poco::Pipe log_;
  Poco::ProcessHandle process_;
  Poco::PipeInputStream logStream_;
  std::jthread hangGuard_;  // last: stopped and joined first
};

/// Sends one datagram of StatsD lines to `address` (HOST:PORT).
void sendStatsd(const std::string& address, const std::string& lines) {
  Poco::Net::DatagramSocket().sendTo(lines.data(), static_cast<int>(lines.size()),
                                     Poco::Net::SocketAddress(address));
}

/// POSTs `json` to the REST API at `base` (http://HOST:PORT) as counter/pw; the status.
int postUsage(const std::string& base, const std::string& json) {
  const Poco::URI uri(base);
  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/telemetry/usage",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  Poco::Net::HTTPBasicCredentials("counter", "pw").authenticate(request);
  request.setContentType("application/json");
  request.setContentLength(static_cast<std::streamsize>(json.size()));
  session.sendRequest(request) << json;
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response).ignore(std::numeric_limits<std::streamsize>::max());
  return response.getStatus();
}

class UsageCliTest : public ::testing::Test {
 protected:
  void SetUp() override { writeConfig(""); }

  /// The configuration: the plain-HTTP receiver on loopback, no plugins, and `usage` lines.
  void writeConfig(const std::string& usage) {
    std::ofstream(config_) << "telemetry:\n"
                           << "  endpoint: " << receiver_.url() << "\n"
                           << "  request-timeout: 5s\n"
                           << "  request-retries: 0\n"
                           << "plugins: { paths: [no-plugins] }\n"
                           << (usage.empty() ? "" : "usage:\n" + usage);
  }

  Outcome telemetry(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config_.string()});
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir_);
  }

  /// Runs `telemetry ARGS...`, expecting exit code 0.
  void succeed(const std::vector<std::string>& args) {
    Outcome r = telemetry(args);
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }

  /// Starts the daemon again and stops it: the count of the command `name` in the final
  /// report it sends (what the store held).
  std::uint64_t finalReportCountAfterARestart(const std::string& name) {
    Daemon restarted(config_);
    if (!restarted.waitUntilRunning()) {
      ADD_FAILURE() << "the restarted daemon did not run";
      return 0;
    }
    restarted.signal(SIGTERM);
    EXPECT_EQ(restarted.wait(), 0);
    const auto requests = receiver_.requests();
    if (requests.empty()) {
      ADD_FAILURE() << "the restarted daemon sent no report";
      return 0;
    }
    return commandCount(requests.back().body, name);
  }

  std::string report() {
    Outcome r = telemetry({"report"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    return r.out;
  }

  telemetry::test::TempDirectory temp_;
  const fs::path& dir_ = temp_.path();
  const fs::path config_ = dir_ / "telemetry.yaml";
  TestReceiver receiver_{TestReceiver::Options{.tls = false}};
};

TEST_F(UsageCliTest, CommandCountsAddUpInTheReport) {
  succeed({"enable"});
  succeed({"usage", "command", "X", "5"});
  succeed({"usage", "command", "X", "5"});
  succeed({"usage", "command", "Y"});
  const std::string text = report();
  EXPECT_EQ(commandCount(text, "X"), 10u) << text;
  EXPECT_EQ(commandCount(text, "Y"), 1u);
  EXPECT_TRUE(receiver_.requests().empty()) << "report sends nothing";
}

TEST_F(UsageCliTest, ConcurrentInvocationsLoseNoCount) {
  succeed({"enable"});
  constexpr int kProcesses = 8, kCallsEach = 25, kN = 8;
  std::atomic<int> failures{0};
  std::vector<std::thread> callers;
  for (int p = 0; p < kProcesses; ++p) {
    callers.emplace_back([&] {
      for (int i = 0; i < kCallsEach; ++i) {
        if (telemetry({"usage", "command", "Concurrent", std::to_string(kN)}).exitCode != 0) {
          ++failures;
        }
      }
    });
  }
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(commandCount(report(), "Concurrent"), std::uint64_t{kProcesses * kCallsEach * kN});
}

TEST_F(UsageCliTest, WhileDisabledNothingIsCountedAndItSaysSo) {
  Outcome r = telemetry({"usage", "command", "X", "5"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_THAT(r.err, HasSubstr("not counted: telemetry is disabled"));
  succeed({"enable"});
  EXPECT_EQ(commandCount(report(), "X"), 0u);
}

TEST_F(UsageCliTest, MetricsAreCountedByTheirReportNames) {
  succeed({"enable"});
  succeed({"usage", "metric", "activity-instance-start", "3"});
  succeed({"usage", "metric", "activity-instance-start"});
  EXPECT_EQ(metricCount(report(), "activity-instance-start"), 4u);
}

TEST_F(UsageCliTest, AnUnknownMetricOrACountBelowOneIsAUsageError) {
  succeed({"enable"});
  Outcome unknown = telemetry({"usage", "metric", "activity-instance-starts", "3"});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown metric 'activity-instance-starts'"));
  Outcome computed = telemetry({"usage", "metric", "unique-task-workers", "3"});
  EXPECT_EQ(computed.exitCode, 2);
  EXPECT_THAT(computed.err, HasSubstr("telemetry usage worker ID"));
  EXPECT_EQ(telemetry({"usage", "command", "X", "0"}).exitCode, 2);
  EXPECT_EQ(telemetry({"usage", "command", "X", "-4"}).exitCode, 2);
  EXPECT_EQ(commandCount(report(), "X"), 0u);
}

TEST_F(UsageCliTest, AnOutOfRangeNIsOneShortLine) {
  succeed({"enable"});
  for (const char* n : {"0", "-1", "abc", "1.5", "18446744073709551616", "9223372036854775808"}) {
    for (const char* kind : {"command", "metric"}) {
      const std::string name = kind == std::string("command") ? "X" : "activity-instance-start";
      Outcome r = telemetry({"usage", kind, name, n});
      EXPECT_EQ(r.exitCode, 2) << kind << " " << n;
      EXPECT_EQ(r.err, "telemetry: N must be a whole number from 1 to 9223372036854775807\n")
          << kind << " " << n;
    }
  }
  EXPECT_EQ(commandCount(report(), "X"), 0u);
  succeed({"usage", "command", "X", "9223372036854775807"});
  succeed({"usage", "command", "X", "9223372036854775807"});
  EXPECT_EQ(commandCount(report(), "X"), 9223372036854775807u) << "saturated, not negative";
}

TEST_F(UsageCliTest, ANameThatIsNotUtf8IsAUsageErrorAndTheReportStaysValid) {
  succeed({"enable"});
  for (const char* kind : {"command", "worker"}) {
    Outcome r = telemetry({"usage", kind, "Bad\xffName"});
    EXPECT_EQ(r.exitCode, 2) << kind;
    EXPECT_THAT(r.err, HasSubstr("is not valid UTF-8 (byte 0xFF at offset 3)")) << kind;
  }
  succeed({"usage", "command", "Grüße"});
  EXPECT_EQ(commandCount(report(), "Grüße"), 1u);
}

TEST_F(UsageCliTest, UniqueTaskWorkersAreTheDistinctWorkersSeen) {
  succeed({"enable"});
  for (const char* id : {"worker-1", "worker-2", "worker-1", "worker-3", "worker-2"}) {
    succeed({"usage", "worker", id});
  }
  EXPECT_EQ(metricCount(report(), "unique-task-workers"), 3u);
}

TEST_F(UsageCliTest, WorkersAreNotRecordedWithHistoryLevelNone) {
  writeConfig("  history-level: none\n");
  succeed({"enable"});
  Outcome r = telemetry({"usage", "worker", "worker-1"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_THAT(r.err, HasSubstr("not recorded: usage.history-level is none"));
  writeConfig("");  // back to full: nothing was stored that could show up now
  EXPECT_EQ(metricCount(report(), "unique-task-workers"), 0u);
}

TEST_F(UsageCliTest, ADeliveredSendTakesTheCountsAwayAFailedOneLeavesThem) {
  succeed({"enable"});
  succeed({"usage", "command", "X", "5"});
  receiver_.script({500});
  EXPECT_EQ(telemetry({"send"}).exitCode, 3);
  EXPECT_EQ(commandCount(report(), "X"), 5u) << "a failed send keeps the counts";

  succeed({"send"});
  ASSERT_EQ(receiver_.requests().size(), 2u);
  EXPECT_EQ(commandCount(receiver_.requests().back().body, "X"), 5u);
  EXPECT_EQ(commandCount(report(), "X"), 0u) << "a delivered send subtracts them";
}

TEST_F(UsageCliTest, CountsAddedWhileTheDaemonRunsSurviveItsKill9) {
  succeed({"enable"});
  {
    Daemon daemon(config_);
    ASSERT_TRUE(daemon.waitUntilRunning());
    succeed({"usage", "command", "X", "4"});
    daemon.signal(SIGKILL);
    daemon.wait();
  }
  EXPECT_EQ(finalReportCountAfterARestart("X"), 4u) << "the final report carries them";
}

TEST_F(UsageCliTest, StatsdLinesSentToTheDaemonGoOutWithItsFinalReport) {
  writeConfig("  statsd-listen: 127.0.0.1:0\n");
  succeed({"enable"});
  Daemon daemon(config_);
  const std::string listening = daemon.waitForLog("counting StatsD usage lines sent to udp://");
  ASSERT_FALSE(listening.empty());
  const std::string address = listening.substr(listening.find("udp://") + 6);
  sendStatsd(address, "command.X:2|c|@0.5\nexecuted-decision-instances:3|c\nworker:w-1|s\n");
  ASSERT_TRUE(daemon.waitUntilRunning());
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait(), 0);
  const auto requests = receiver_.requests();
  ASSERT_FALSE(requests.empty());
  const std::string& final = requests.back().body;
  EXPECT_EQ(commandCount(final, "X"), 4u);
  EXPECT_EQ(metricCount(final, "executed-decision-instances"), 3u);
  EXPECT_EQ(metricCount(final, "unique-task-workers"), 1u);
}

// docs/operations.md: kill -9 loses at most the counts since the last checkpoint, and a
// checkpoint stores each count once. The counts 1 (StatsD), 10 (REST API) and 100 (StatsD)
// each arrive whole, so every sum tells which arrived: 11 (the last lost) or 111
// (checkpointed in time); anything else is a loss of checkpointed counts or a count
// stored twice.
TEST_F(UsageCliTest, Kill9LosesOnlyCountsSinceTheLastCheckpointAndStoresNoneTwice) {
  writeConfig(
      "  statsd-listen: 127.0.0.1:0\n  checkpoint-interval: 1s\n"
      "api:\n  listen: 127.0.0.1:0\n  users-file: users.yaml\n");
  succeed({"enable"});
  const std::vector<std::string> addUser = {"--config", config_.string(), "user", "add",
                                            "counter",  "--group",        "usage"};
  ASSERT_EQ(telemetry::test::runProgram(TELEMETRY_CLI, addUser, dir_, "pw\n").exitCode, 0);
  {
    Daemon daemon(config_, {"--log-level", "debug"});
    const std::string statsd = daemon.waitForLog("counting StatsD usage lines sent to udp://");
    ASSERT_FALSE(statsd.empty());
    const std::string address = statsd.substr(statsd.find("udp://") + 6);
    const std::string rest = daemon.waitForLog("REST API listening on http://");
    ASSERT_FALSE(rest.empty());
    const auto from = rest.find("http://");
    const std::string base = rest.substr(from, rest.find(' ', from) - from);

    sendStatsd(address, "command.X:1|c");
    ASSERT_FALSE(daemon.waitForLog("usage checkpoint: stored").empty()) << "no checkpoint of 1";
    ASSERT_EQ(postUsage(base, R"({"commands":{"X":10}})"), 204);
    ASSERT_FALSE(daemon.waitForLog("usage checkpoint: stored").empty()) << "no checkpoint of 10";
    sendStatsd(address, "command.X:100|c");
    daemon.signal(SIGKILL);
    daemon.wait();
  }
  const std::uint64_t stored = commandCount(report(), "X");
  EXPECT_TRUE(stored == 11 || stored == 111) << "stored " << stored << " of 1 + 10 (+ 100)";

  EXPECT_EQ(finalReportCountAfterARestart("X"), stored) << "the final report carries them";
}

TEST_F(UsageCliTest, AStatsdAddressOffLoopbackIsAConfigurationError) {
  writeConfig("  statsd-listen: 0.0.0.0:8125\n");
  Outcome r = telemetry({"run"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("telemetry.yaml:7: 'usage.statsd-listen' must be a loopback "
                               "address"));
}

}  // namespace
