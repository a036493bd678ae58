// The HTTPS Sender against a real TLS receiver on loopback: headers and body, retries and
// backoff, Retry-After, stop and deadline, certificate checks, plain HTTP rules, proxies.
#include <cstdlib>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/sender.hpp"
#include "telemetry/test/test_proxy.hpp"
#include "telemetry/test/test_receiver.hpp"
#include "telemetry/version.hpp"

namespace {

using namespace std::chrono_literals;
using telemetry::Delivery;
using telemetry::Sender;
using telemetry::SenderOptions;
using telemetry::TelemetryConfig;
using telemetry::test::TestProxy;
using telemetry::test::TestReceiver;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr const char* kReport = R"({"installation":"x","product":{}})";

class SenderTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* name : {"HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"}) {
      unsetenv(name);
    }
  }

  TelemetryConfig config(const TestReceiver& receiver) {
    TelemetryConfig c;
    c.endpoint = receiver.url();
    c.caFile = TestReceiver::caFile();
    c.requestTimeout = 5s;
    c.requestRetries = 2;
    return c;
  }

  static SenderOptions fast() { return {10ms, 100ms}; }

  TestReceiver receiver_;
};

TEST_F(SenderTest, PostsTheReportWithItsHeaders) {
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "key-1");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(d.httpStatus, 202);
  EXPECT_EQ(d.attempts, 1);
  auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/pings");
  EXPECT_EQ(requests[0].body, kReport);
  EXPECT_EQ(requests[0].headers.at("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].headers.at("User-Agent"), std::string("telemetry/") + telemetry::kVersion);
  EXPECT_EQ(requests[0].headers.at("Idempotency-Key"), "key-1");
}

TEST_F(SenderTest, RetriesAServerErrorWithTheSameIdempotencyKey) {
  receiver_.script({500, 503});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "key-2");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(d.attempts, 3);
  for (const auto& r : receiver_.requests()) EXPECT_EQ(r.headers.at("Idempotency-Key"), "key-2");
}

TEST_F(SenderTest, GivesUpAfterTheConfiguredRetries) {
  receiver_.script({500, 500, 500, 500});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 3);
  EXPECT_EQ(d.httpStatus, 500);
  EXPECT_THAT(d.error, StartsWith("HTTP 500"));
  EXPECT_EQ(receiver_.requests().size(), 3u);
}

TEST_F(SenderTest, DoesNotRetryARequestTheCollectorRefused) {
  receiver_.script({400});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_THAT(d.error, HasSubstr("not retried"));
}

TEST_F(SenderTest, WaitsAsLongAsRetryAfterSays) {
  TestReceiver::Answer tooMany(429);
  tooMany.retryAfterSeconds = 1;
  receiver_.script({tooMany});
  const auto before = std::chrono::steady_clock::now();
  Delivery d = Sender(config(receiver_), {10ms, 5s}).send(kReport, "k");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_GE(std::chrono::steady_clock::now() - before, 1s) << "the backoff alone is 10 ms";
}

TEST_F(SenderTest, GivesUpWhenRetryAfterIsLongerThanItMayWait) {
  TestReceiver::Answer busy(503);
  busy.retryAfterSeconds = 3600;
  receiver_.script({busy});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_THAT(d.error, HasSubstr("Retry-After"));
}

TEST_F(SenderTest, AHangingCollectorIsATimeout) {
  receiver_.script({TestReceiver::kHang});
  TelemetryConfig c = config(receiver_);
  c.requestTimeout = 300ms;
  c.requestRetries = 0;
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_THAT(d.error, HasSubstr("timeout"));
}

TEST_F(SenderTest, AClosedConnectionIsAFailureThatIsRetried) {
  receiver_.script({TestReceiver::kClose});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(d.attempts, 2);
}

TEST_F(SenderTest, StopInterruptsTheBackoffAtOnce) {
  receiver_.script({500, 500});
  std::stop_source stop;
  std::thread stopper([&] {
    receiver_.waitForRequests(1, 30s);
    stop.request_stop();
  });
  const auto before = std::chrono::steady_clock::now();
  Delivery d = Sender(config(receiver_), {60s, 60s}).send(kReport, "k", stop.get_token());
  stopper.join();
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 10s) << "not the 30-60 s backoff";
}

TEST_F(SenderTest, StartsNoAttemptAfterTheDeadline) {
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k", {}, Sender::Clock::now() - 1ms);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 0);
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_F(SenderTest, RefusesACertificateFromAnUnknownCa) {
  TestReceiver unknown({.tls = true, .certificate = "unknown"});
  Delivery d = Sender(config(unknown), fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_THAT(d.error, StartsWith("TLS"));
  EXPECT_TRUE(unknown.requests().empty()) << "no byte of the report left";
}

TEST_F(SenderTest, RefusesACertificateForAnotherHostName) {
  TestReceiver wrongHost({.tls = true, .certificate = "wronghost"});
  Delivery d = Sender(config(wrongHost), fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_THAT(d.error, StartsWith("TLS"));
  EXPECT_TRUE(wrongHost.requests().empty());
}

TEST_F(SenderTest, RefusesAnExpiredCertificate) {
  TestReceiver expired({.tls = true, .certificate = "expired"});
  Delivery d = Sender(config(expired), fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_THAT(d.error, StartsWith("TLS"));
  EXPECT_TRUE(expired.requests().empty());
}

TEST_F(SenderTest, WithoutTheCaFileTheTestCaIsNotTrusted) {
  TelemetryConfig c = config(receiver_);
  c.caFile.clear();
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_THAT(d.error, StartsWith("TLS"));
}

TEST_F(SenderTest, PlainHttpOnlyToLoopback) {
  TestReceiver plain({.tls = false, .certificate = "server"});
  TelemetryConfig c = config(plain);
  EXPECT_TRUE(Sender(c, fast()).send(kReport, "k").delivered);
  c.endpoint = "http://telemetry.example.org/pings";
  EXPECT_THROW(Sender(c, fast()), std::invalid_argument);
  c.endpoint = "ftp://127.0.0.1/pings";
  EXPECT_THROW(Sender(c, fast()), std::invalid_argument);
}

TEST_F(SenderTest, TunnelsThroughTheConfiguredProxy) {
  TestProxy proxy;
  TelemetryConfig c = config(receiver_);
  c.proxy = proxy.url();
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_TRUE(d.delivered) << d.error;
  ASSERT_EQ(proxy.targets().size(), 1u);
  EXPECT_THAT(proxy.targets()[0], StartsWith("127.0.0.1:"));
  EXPECT_EQ(receiver_.requests().at(0).body, kReport) << "TLS end to end through the tunnel";
}

TEST_F(SenderTest, TakesTheProxyFromTheEnvironmentUnlessNoProxySaysOtherwise) {
  TestProxy proxy;
  setenv("HTTPS_PROXY", proxy.url().c_str(), 1);
  EXPECT_TRUE(Sender(config(receiver_), fast()).send(kReport, "k").delivered);
  EXPECT_EQ(proxy.targets().size(), 1u);
  setenv("NO_PROXY", "example.org, 127.0.0.1", 1);
  EXPECT_TRUE(Sender(config(receiver_), fast()).send(kReport, "k").delivered);
  EXPECT_EQ(proxy.targets().size(), 1u) << "NO_PROXY lists the host";
}

}  // namespace
