// The test receiver that sender, reporter and CLI tests rely on: its scripts, that it stops
// with a request hanging, and the standalone telemetry-test-receiver program.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/Process.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "delivery/sender.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"

namespace {

using namespace std::chrono_literals;
using telemetry::Sender;
using telemetry::TelemetryConfig;
using telemetry::test::certificateFile;
using telemetry::test::TestReceiver;
using Clock = std::chrono::steady_clock;

TEST(TestReceiverTest, ParsesAScript) {
  auto script = TestReceiver::parseScript("202, 500,429:3,hang,hang:2,close");
  ASSERT_EQ(script.size(), 6u);
  EXPECT_EQ(script[0].status, 202);
  EXPECT_EQ(script[1].status, 500);
  EXPECT_EQ(script[2].status, 429);
  EXPECT_EQ(script[2].retryAfterSeconds, 3);
  EXPECT_EQ(script[3].status, TestReceiver::kHang);
  EXPECT_FALSE(script[3].hangFor);
  EXPECT_EQ(script[4].hangFor, std::chrono::milliseconds(2s));
  EXPECT_EQ(script[5].status, TestReceiver::kClose);
  for (const char* bad : {"20", "ok", "500:x", "close:1", ""}) {
    EXPECT_THROW(TestReceiver::parseScript(bad + std::string(",202")), std::invalid_argument)
        << bad;
  }
}

TEST(TestReceiverTest, StopsAtOnceWithARequestHanging) {
  TestReceiver receiver;
  receiver.script({TestReceiver::kHang});
  TelemetryConfig config;
  config.endpoint = receiver.url();
  config.caFile = TestReceiver::caFile();
  config.requestTimeout = 60s;
  config.requestRetries = 0;
  std::thread client([&] { Sender(config).send("{}", "k"); });
  ASSERT_TRUE(receiver.waitForRequests(1, 30s));
  const auto before = Clock::now();
  receiver.stop();
  EXPECT_LT(Clock::now() - before, 10s);
  client.join();
}

TEST(TestReceiverTest, HangsForTheGivenTimeThenCloses) {
  TestReceiver receiver;
  receiver.script(TestReceiver::parseScript("hang:1"));
  TelemetryConfig config;
  config.endpoint = receiver.url();
  config.caFile = TestReceiver::caFile();
  config.requestTimeout = 60s;
  config.requestRetries = 0;
  const auto before = Clock::now();
  auto delivery = Sender(config).send("{}", "k");
  EXPECT_EQ(delivery.error, "connection closed without an answer");
  EXPECT_GE(Clock::now() - before, 1s);
}

class TestReceiverProgramTest : public ::testing::Test {
 protected:
  /// The URL from the port file, once the program has written it.
  std::string waitForUrl(Poco::ProcessHandle& program) {
    const auto until = Clock::now() + 30s;
    while (Clock::now() < until && Poco::Process::isRunning(program)) {
      std::ifstream in(dir_ / "url");
      std::string url;
      if (std::getline(in, url) && !url.empty()) return url;
      std::this_thread::sleep_for(20ms);  // another process: nothing to wait on but the file
    }
    return {};
  }

  telemetry::test::TempDirectory dir_;
};

TEST_F(TestReceiverProgramTest, ServesTheScriptRecordsRequestsAndStopsOnSigterm) {
  Poco::ProcessHandle program = Poco::Process::launch(
      TELEMETRY_TEST_RECEIVER_PROGRAM,
      {"--cert", certificateFile("server.pem"), "--key", certificateFile("server.key"),
       "--port-file", (dir_ / "url").string(), "--requests-file",
       (dir_ / "requests.jsonl").string(), "--script", "500,202"});
  const std::string url = waitForUrl(program);
  ASSERT_THAT(url, ::testing::StartsWith("https://127.0.0.1:"));

  TelemetryConfig config;
  config.endpoint = url;
  config.caFile = TestReceiver::caFile();
  auto delivery = Sender(config, {10ms, 100ms}).send(R"({"a":"\"quoted\""})", "key-7");
  EXPECT_TRUE(delivery.delivered) << delivery.error;
  EXPECT_EQ(delivery.attempts, 2);

  ::kill(program.id(), SIGTERM);
  EXPECT_EQ(program.wait(), 0);
  std::ifstream in(dir_ / "requests.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 2u);
  for (const auto& line : lines) {
    auto request = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(request->getValue<std::string>("method"), "POST");
    EXPECT_EQ(request->getValue<std::string>("path"), "/pings");
    EXPECT_EQ(request->getObject("headers")->getValue<std::string>("Idempotency-Key"), "key-7");
    EXPECT_EQ(request->getValue<std::string>("body"), R"({"a":"\"quoted\""})");
  }
}

TEST_F(TestReceiverProgramTest, RefusesABadScript) {
  Poco::Pipe err;
  Poco::ProcessHandle program = Poco::Process::launch(
      TELEMETRY_TEST_RECEIVER_PROGRAM,
      {"--plain", "--port-file", (dir_ / "url").string(), "--script", "202,teapot"}, nullptr,
      nullptr, &err);
  EXPECT_EQ(program.wait(), 2);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "url"));
}

}  // namespace
