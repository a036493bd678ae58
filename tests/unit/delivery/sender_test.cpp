// The HTTPS Sender against a real TLS receiver on loopback: headers and body, retries and
// backoff, Retry-After, stop and deadline, certificate checks, plain HTTP rules, proxies.
#include <poll.h>

#include <cstdlib>
#include <thread>

#include <Poco/Base64Encoder.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/InflatingStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include "config/logging.hpp"
#include "delivery/sender.hpp"
#include "telemetry/test/captured_log.hpp"
#include "telemetry/test/loopback_listener.hpp"
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
using ::testing::Not;
using ::testing::StartsWith;
using Clock = std::chrono::steady_clock;

constexpr const char* kReport = R"({"installation":"x","product":{}})";

class SenderTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const char* name : {"HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"}) {
      unsetenv(name);
    }
  }

  static TelemetryConfig config(const TestReceiver& receiver) {
    TelemetryConfig c;
    c.endpoint = receiver.url();
    c.caFile = TestReceiver::caFile();
    c.requestTimeout = 30s;  // a slow answer must not turn into a retry that adds a request
    c.requestRetries = 2;
    return c;
  }

  static SenderOptions fast() { return {10ms, 100ms}; }

  static Delivery sendTo(const TestReceiver& receiver) {
    return Sender(config(receiver), fast()).send(kReport, "k");
  }

  TestReceiver receiver_;
};

TEST_F(SenderTest, PostsTheReportWithItsHeaders) {
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "key-1");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(d.httpStatus, 202);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "");
  auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/pings");
  EXPECT_EQ(requests[0].body, kReport);
  EXPECT_EQ(requests[0].headers.at("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].headers.at("User-Agent"), std::string("telemetry/") + telemetry::kVersion);
  EXPECT_EQ(requests[0].headers.at("Idempotency-Key"), "key-1");
}

std::string gunzip(const std::string& body) {
  std::istringstream in(body);
  Poco::InflatingInputStream inflate(in, Poco::InflatingStreamBuf::STREAM_GZIP);
  std::string out;
  Poco::StreamCopier::copyToString(inflate, out);
  return out;
}

TEST_F(SenderTest, SendsTheJsonUncompressedByDefault) {
  Delivery d = sendTo(receiver_);
  ASSERT_EQ(receiver_.requests().size(), 1u);
  EXPECT_EQ(receiver_.requests()[0].headers.count("Content-Encoding"), 0u);
  EXPECT_EQ(d.contentEncoding, "");
  EXPECT_EQ(d.wireBytes, std::string(kReport).size());
}

TEST_F(SenderTest, CompressesTheReportWithGzipWhenConfigured) {
  auto c = config(receiver_);
  c.compress = true;
  Delivery d = Sender(c, fast()).send(kReport, "key-1");
  EXPECT_TRUE(d.delivered) << d.error;
  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto& request = requests[0];
  EXPECT_EQ(request.headers.at("Content-Encoding"), "gzip");
  EXPECT_EQ(request.headers.at("Content-Type"), "application/json");
  EXPECT_NE(request.body, kReport);
  EXPECT_EQ(gunzip(request.body), kReport);
  EXPECT_EQ(d.contentEncoding, "gzip");
  EXPECT_EQ(d.wireBytes, request.body.size());
}

// A collector that cannot read gzip says 415 (RFC 7694), or 400 when it predates
// Content-Encoding and took the gzip bytes for JSON.
TEST_F(SenderTest, SendsUncompressedAtOnceWhenTheCollectorRefusesGzip) {
  for (int refusal : {415, 400}) {
    TestReceiver receiver;
    receiver.script({refusal});
    auto c = config(receiver);
    c.compress = true;
    c.requestRetries = 0;
    Delivery d = Sender(c, fast()).send(kReport, "key-1");
    EXPECT_TRUE(d.delivered) << refusal << ": " << d.error;
    EXPECT_EQ(d.attempts, 2) << "two requests went out";
    EXPECT_EQ(d.contentEncoding, "") << "what was delivered was not compressed";
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].headers.at("Content-Encoding"), "gzip");
    EXPECT_EQ(requests[1].headers.count("Content-Encoding"), 0u);
    EXPECT_EQ(requests[1].body, kReport);
    EXPECT_EQ(requests[1].headers.at("Idempotency-Key"), "key-1");
  }
}

TEST_F(SenderTest, ARefusalOfTheUncompressedReportIsFinal) {
  receiver_.script({415, 400, 202});
  auto c = config(receiver_);
  c.compress = true;
  Delivery d = Sender(c, fast()).send(kReport, "key-1");
  EXPECT_TRUE(d.refused);
  EXPECT_EQ(d.httpStatus, 400);
  EXPECT_EQ(receiver_.requests().size(), 2u);
}

TEST_F(SenderTest, AnyTwoHundredIsADelivery) {
  receiver_.script({200, 204});
  EXPECT_EQ(sendTo(receiver_).httpStatus, 200);
  Delivery d = sendTo(receiver_);
  EXPECT_TRUE(d.delivered);
  EXPECT_EQ(d.httpStatus, 204);
}

// Delivered, but not what a collector answers: worth a debug line (Camunda logs it too).
TEST_F(SenderTest, LogsATwoHundredOtherThan202AsUnexpectedAtDebug) {
  telemetry::test::CapturedLog log("telemetry.sender");
  receiver_.script({200, 201, 204, 202});
  for (int status : {200, 201, 204}) {
    Delivery d = sendTo(receiver_);
    EXPECT_TRUE(d.delivered);
    EXPECT_EQ(d.httpStatus, status);
    EXPECT_EQ(log.count("unexpected HTTP " + std::to_string(status) +
                        " (a collector answers 202); delivered"),
              1u)
        << status;
  }
  EXPECT_EQ(sendTo(receiver_).httpStatus, 202);
  EXPECT_EQ(log.count("unexpected HTTP"), 3u) << "202 is what a collector answers";
}

TEST_F(SenderTest, RetriesAServerErrorWithTheSameIdempotencyKey) {
  receiver_.script({500, 503});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "key-2");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(d.attempts, 3);
  ASSERT_EQ(receiver_.requests().size(), 3u);
  for (const auto& r : receiver_.requests()) {
    EXPECT_EQ(r.headers.at("Idempotency-Key"), "key-2");
    EXPECT_EQ(r.body, kReport);
  }
}

TEST_F(SenderTest, RetriesTooManyRequestsAndRequestTimeout) {
  receiver_.script({429, 408});
  Delivery d = sendTo(receiver_);
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(d.attempts, 3);
}

TEST_F(SenderTest, GivesUpAfterTheConfiguredRetries) {
  receiver_.script({500, 500, 500, 500});
  Delivery d = sendTo(receiver_);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 3) << "the first attempt and request-retries: 2";
  EXPECT_EQ(d.httpStatus, 500);
  EXPECT_EQ(d.error, "HTTP 500");
  EXPECT_EQ(receiver_.requests().size(), 3u);
}

TEST_F(SenderTest, RetriesGivenToSendOverrideTheConfiguredOnes) {
  receiver_.script({500, 500});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k", {}, std::nullopt, 0);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
}

TEST_F(SenderTest, DoesNotRetryARequestTheCollectorRefused) {
  receiver_.script({400});
  Delivery d = sendTo(receiver_);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.httpStatus, 400);
  EXPECT_THAT(d.error, StartsWith("HTTP 400 ("));
  EXPECT_THAT(d.error, HasSubstr("not retried"));
}

TEST_F(SenderTest, ARefusalCarriesTheCollectorsReasonEscaped) {
  TestReceiver::Answer refused(400);
  refused.body = R"({"error":"not valid UTF-8\u001b[31m\nforged","field":"product.name"})";
  receiver_.script({refused});
  Delivery d = sendTo(receiver_);
  EXPECT_TRUE(d.refused);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error,
            "HTTP 400 (not retried: the collector refused it: not valid UTF-8\\x1b[31m\\nforged "
            "(field product.name))");
}

TEST_F(SenderTest, ARefusalWithAPlainTextBodyShowsItsStart) {
  TestReceiver::Answer refused(413);
  refused.body = "report too large";
  receiver_.script({refused});
  Delivery d = sendTo(receiver_);
  EXPECT_TRUE(d.refused);
  EXPECT_EQ(d.error, "HTTP 413 (not retried: the collector refused it: report too large)");
}

TEST_F(SenderTest, OnlyAFourHundredOtherThan408And429IsARefusal) {
  receiver_.script({500, 429, 408});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k", {}, std::nullopt, 3);
  EXPECT_TRUE(d.delivered);
  EXPECT_FALSE(d.refused);
}

TEST_F(SenderTest, WaitsAsLongAsRetryAfterSays) {
  TestReceiver::Answer tooMany(429);
  tooMany.retryAfterSeconds = 1;
  receiver_.script({tooMany});
  const auto before = Clock::now();
  Delivery d = Sender(config(receiver_), {10ms, 5s}).send(kReport, "k");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(d.attempts, 2);
  EXPECT_GE(Clock::now() - before, 1s) << "the backoff alone is 10-30 ms";
}

TEST_F(SenderTest, UnderstandsRetryAfterAsAnHttpDate) {
  TestReceiver::Answer unavailable(503);
  Poco::Timestamp at;
  at += Poco::Timespan(3, 0);
  unavailable.headers["Retry-After"] =
      Poco::DateTimeFormatter::format(at, Poco::DateTimeFormat::HTTP_FORMAT);
  receiver_.script({unavailable});
  const auto before = Clock::now();
  Delivery d = Sender(config(receiver_), {10ms, 10s}).send(kReport, "k");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_GE(Clock::now() - before, 1s) << "the date is 2-3 s ahead, in whole seconds";
}

TEST_F(SenderTest, GivesUpWhenRetryAfterIsLongerThanItMayWait) {
  TestReceiver::Answer tooMany(429);
  tooMany.retryAfterSeconds = 3600;
  receiver_.script({tooMany});
  Delivery d = Sender(config(receiver_), {10ms, 60s}).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "HTTP 429 (Retry-After 3600 s exceeds the 60 s limit)");
}

TEST_F(SenderTest, AHangingCollectorIsATimeout) {
  receiver_.script({TestReceiver::kHang});
  TelemetryConfig c = config(receiver_);
  c.requestTimeout = 300ms;
  c.requestRetries = 0;
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.httpStatus, 0);
  EXPECT_EQ(d.error, "timeout after 0.3 s");
}

/// A peer on loopback that reads one request (or TLS ClientHello), sends `head`, then
/// drip-feeds one byte at a time, each well within any socket timeout, for up to 30 s; it
/// notes when the client hung up.
class DrippingPeer {
 public:
  explicit DrippingPeer(std::string head) : head_(std::move(head)), thread_([this] { serve(); }) {}
  ~DrippingPeer() { thread_.join(); }

  std::string address() const { return "127.0.0.1:" + std::to_string(listener_.port()); }
  /// Waits for the drip to end; true when the client hung up before its last byte.
  bool cutOff() {
    thread_.join();
    thread_ = std::thread([] {});
    return cutOff_;
  }

 private:
  void serve() {
    // Bounded, so a sender that never connects fails the test instead of hanging it.
    pollfd waiting{listener_.fd(), POLLIN, 0};
    if (::poll(&waiting, 1, 60'000) != 1) return;
    const int client = ::accept(listener_.fd(), nullptr, nullptr);
    if (client < 0) return;
    char request[4096];
    (void)::recv(client, request, sizeof request, 0);  // the whole small request
    bool sent = ::send(client, head_.data(), head_.size(), MSG_NOSIGNAL) > 0;
    for (int i = 0; sent && i < 300; ++i) {
      std::this_thread::sleep_for(100ms);
      sent = ::send(client, "a", 1, MSG_NOSIGNAL) == 1;
    }
    cutOff_ = !sent;
    ::close(client);
  }

  telemetry::test::LoopbackListener listener_;
  std::string head_;
  bool cutOff_ = false;
  std::thread thread_;
};

TEST_F(SenderTest, TheRequestTimeoutEndsTheWholeAttemptEvenWhenTheAnswerDrips) {
  DrippingPeer collector("HTTP/1.1 202 Accepted\r\nX-Drip: ");
  TelemetryConfig c = config(receiver_);
  c.endpoint = "http://" + collector.address() + "/pings";
  c.requestTimeout = 1s;
  c.requestRetries = 0;
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "timeout after 1 s");
  EXPECT_TRUE(collector.cutOff()) << "the sender hung up while the answer was still dripping";
}

TEST_F(SenderTest, TheRequestTimeoutEndsATlsHandshakeThatDrips) {
  // A TLS handshake record announcing 16 KiB that never all arrive.
  DrippingPeer collector(std::string("\x16\x03\x03\x40\x00", 5));
  TelemetryConfig c = config(receiver_);
  c.endpoint = "https://" + collector.address() + "/pings";
  c.requestTimeout = 1s;
  c.requestRetries = 0;
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error, "timeout after 1 s");
  EXPECT_TRUE(collector.cutOff()) << "the sender hung up while the handshake was still dripping";
}

TEST_F(SenderTest, TheRequestTimeoutEndsAProxyConnectWhoseAnswerDrips) {
  DrippingPeer proxy("HTTP/1.1 200 Connection established\r\nX-Drip: ");
  TelemetryConfig c = config(receiver_);
  c.proxy = "http://" + proxy.address();
  c.requestTimeout = 1s;
  c.requestRetries = 0;
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error, "timeout after 1 s (proxy " + proxy.address() + ")");
  EXPECT_TRUE(proxy.cutOff()) << "the sender hung up while the CONNECT answer was still dripping";
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_F(SenderTest, AClosedConnectionIsAFailureThatIsRetried) {
  receiver_.script({TestReceiver::kClose});
  Delivery d = sendTo(receiver_);
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(d.attempts, 2);
}

TEST_F(SenderTest, AClosedConnectionIsReportedAsSuch) {
  receiver_.script({TestReceiver::kClose});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k", {}, std::nullopt, 0);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error, "connection closed without an answer");
}

TEST_F(SenderTest, ARefusedConnectionIsReportedAsSuch) {
  TelemetryConfig c = config(receiver_);
  // Bound, not listening: connections are refused, and no other test can take the port.
  const telemetry::test::LoopbackListener refusing(false);
  c.endpoint = "https://127.0.0.1:" + std::to_string(refusing.port()) + "/pings";
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 3) << "a collector that is down may come back";
  EXPECT_EQ(d.error, "connect: connection refused");
}

TEST_F(SenderTest, AnUnknownHostIsADnsError) {
  TelemetryConfig c = config(receiver_);
  c.endpoint = "https://no-such-host.invalid/pings";  // .invalid never resolves (RFC 6761)
  c.requestRetries = 0;
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_THAT(d.error, StartsWith("DNS: "));
  EXPECT_THAT(d.error, HasSubstr("'no-such-host.invalid'"));
}

TEST_F(SenderTest, StopInterruptsTheBackoffAtOnce) {
  receiver_.script({500, 500});
  std::stop_source stop;
  std::thread stopper([&] {
    receiver_.waitForRequests(1, 30s);
    stop.request_stop();
  });
  // A backoff of an hour: not interrupted, the test would hang (ctest's timeout guards).
  Delivery d = Sender(config(receiver_), {1h, 1h}).send(kReport, "k", stop.get_token());
  stopper.join();
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "HTTP 500 (stopped before retrying)");
}

TEST_F(SenderTest, AStopRequestedBeforehandStillAllowsOneAttempt) {
  // The final report on shutdown goes out after the stop was requested.
  std::stop_source stop;
  stop.request_stop();
  receiver_.script({500});
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k", stop.get_token());
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "HTTP 500 (stopped before retrying)");
}

TEST_F(SenderTest, StartsNoAttemptAfterTheDeadline) {
  Delivery d = Sender(config(receiver_), fast()).send(kReport, "k", {}, Clock::now() - 1ms);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 0);
  EXPECT_EQ(d.error, "no time left before the deadline");
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_F(SenderTest, TheDeadlineCutsAHangingAttemptShort) {
  receiver_.script({TestReceiver::kHang});
  TelemetryConfig c = config(receiver_);
  c.requestTimeout = 60s;
  const auto before = Clock::now();
  Delivery d = Sender(c, fast()).send(kReport, "k", {}, before + 500ms);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_THAT(d.error, StartsWith("timeout after 0.")) << "cut at the deadline, not at 60 s";
}

TEST_F(SenderTest, NoRetryStartsWhenItsWaitWouldPassTheDeadline) {
  receiver_.script({500});
  Delivery d = Sender(config(receiver_), {30s, 30s}).send(kReport, "k", {}, Clock::now() + 10s);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.error, "HTTP 500 (no time left for a retry before the deadline)");
}

TEST_F(SenderTest, RefusesACertificateFromAnUnknownCa) {
  TestReceiver unknown(TestReceiver::Options::withCertificate("unknown"));
  Delivery d = sendTo(unknown);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error, "TLS: certificate verify failed (unknown CA)");
  EXPECT_EQ(d.attempts, 1) << "a refused certificate is not retried";
  EXPECT_TRUE(unknown.requests().empty()) << "no byte of the report left";
}

TEST_F(SenderTest, RefusesACertificateForAnotherHostName) {
  TestReceiver wrongHost(TestReceiver::Options::withCertificate("wronghost"));
  Delivery d = sendTo(wrongHost);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error,
            "TLS: certificate verify failed (host name mismatch: the certificate is not for "
            "'127.0.0.1')");
  EXPECT_TRUE(wrongHost.requests().empty());
}

TEST_F(SenderTest, RefusesAnExpiredCertificate) {
  TestReceiver expired(TestReceiver::Options::withCertificate("expired"));
  Delivery d = sendTo(expired);
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error, "TLS: certificate verify failed (expired)");
  EXPECT_TRUE(expired.requests().empty());
}

TEST_F(SenderTest, WithoutTheCaFileTheTestCaIsNotTrusted) {
  TelemetryConfig c = config(receiver_);
  c.caFile.clear();
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error, "TLS: certificate verify failed (unknown CA)");
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_F(SenderTest, AMissingCaFileIsReportedAndNotRetried) {
  TelemetryConfig c = config(receiver_);
  c.caFile = "/nonexistent/ca.pem";
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_THAT(d.error, StartsWith("TLS: cannot use ca-file '/nonexistent/ca.pem'"));
}

TEST_F(SenderTest, PlainHttpGoesOnlyToLoopback) {
  TestReceiver plain({.tls = false});
  TelemetryConfig c = config(plain);
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_TRUE(d.delivered) << d.error;
  EXPECT_EQ(plain.requests().at(0).body, kReport);
  for (const char* loopback :
       {"http://localhost:1/pings", "http://[::1]:1/pings", "http://127.1.2.3:1/pings"}) {
    c.endpoint = loopback;
    EXPECT_NO_THROW(Sender(c, fast())) << loopback;
  }
}

TEST_F(SenderTest, RefusesPlainHttpToAnotherHostAndOtherSchemes) {
  TelemetryConfig c = config(receiver_);
  for (const char* endpoint : {"http://telemetry.example.org/pings", "http://10.0.0.1/pings",
                               "ftp://127.0.0.1/pings", "telemetry.example.org/pings"}) {
    c.endpoint = endpoint;
    try {
      Sender sender(c, fast());
      ADD_FAILURE() << endpoint << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_THAT(e.what(), HasSubstr(endpoint));
    }
  }
}

TEST_F(SenderTest, TunnelsThroughTheConfiguredProxy) {
  TestProxy proxy;
  TelemetryConfig c = config(receiver_);
  c.proxy = proxy.url();
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_TRUE(d.delivered) << d.error;
  ASSERT_EQ(proxy.tunnels().size(), 1u);
  EXPECT_EQ(proxy.tunnels()[0].target, receiver_.url().substr(8, receiver_.url().size() - 14));
  EXPECT_EQ(proxy.tunnels()[0].host, proxy.tunnels()[0].target) << "Host is host:port";
  EXPECT_EQ(proxy.tunnels()[0].authorization, "") << "no credentials, no header";
  EXPECT_EQ(receiver_.requests().at(0).body, kReport) << "TLS end to end through the tunnel";
}

TEST_F(SenderTest, SendsTheProxyCredentialsOfTheUrl) {
  TestProxy proxy;
  TelemetryConfig c = config(receiver_);
  c.proxy = "http://user:p%40ss@" + proxy.url().substr(7);
  EXPECT_TRUE(Sender(c, fast()).send(kReport, "k").delivered);
  std::ostringstream expected;
  Poco::Base64Encoder(expected) << "user:p@ss";
  ASSERT_EQ(proxy.tunnels().size(), 1u);
  EXPECT_EQ(proxy.tunnels()[0].authorization, "Basic " + expected.str());
}

TEST_F(SenderTest, TheConfiguredProxyWinsOverTheEnvironment) {
  TestProxy configured;
  setenv("NO_PROXY", "*", 1);
  TelemetryConfig c = config(receiver_);
  c.proxy = configured.url();
  EXPECT_TRUE(Sender(c, fast()).send(kReport, "k").delivered);
  EXPECT_EQ(configured.tunnels().size(), 1u);
}

TEST_F(SenderTest, AProxyThatIsDownIsNamedInTheError) {
  TelemetryConfig c = config(receiver_);
  const telemetry::test::LoopbackListener refusing(false);  // as in ARefusedConnection...
  c.proxy = "http://127.0.0.1:" + std::to_string(refusing.port());
  c.requestRetries = 0;
  Delivery d = Sender(c, fast()).send(kReport, "k");
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error, "connect: connection refused (proxy " + c.proxy.substr(7) + ")");
}

TEST_F(SenderTest, RefusesAProxyThatIsNotHttpWithoutShowingItsPassword) {
  TelemetryConfig c = config(receiver_);
  c.proxy = "https://user:secret@proxy.example.org:3128";
  try {
    Sender sender(c, fast());
    ADD_FAILURE() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("proxy.example.org"));
    EXPECT_THAT(e.what(), Not(HasSubstr("secret")));
  }
}

TEST_F(SenderTest, TakesTheProxyFromTheEnvironment) {
  TestProxy proxy;
  setenv("HTTPS_PROXY", proxy.url().c_str(), 1);
  EXPECT_TRUE(sendTo(receiver_).delivered);
  unsetenv("HTTPS_PROXY");
  setenv("https_proxy", proxy.url().substr(7).c_str(), 1);  // without a scheme, as curl takes it
  EXPECT_TRUE(sendTo(receiver_).delivered);
  EXPECT_EQ(proxy.tunnels().size(), 2u);
}

TEST_F(SenderTest, NoProxyExemptsListedHosts) {
  TestProxy proxy;
  setenv("HTTPS_PROXY", proxy.url().c_str(), 1);
  for (const char* noProxy : {"example.org, 127.0.0.1", "*", ".example.org,127.0.0.1"}) {
    setenv("NO_PROXY", noProxy, 1);
    EXPECT_TRUE(sendTo(receiver_).delivered);
    EXPECT_TRUE(proxy.tunnels().empty()) << "NO_PROXY=" << noProxy;
  }
  unsetenv("NO_PROXY");
  setenv("no_proxy", "0.0.1,example.org", 1);  // addresses match whole, never as a suffix
  EXPECT_TRUE(sendTo(receiver_).delivered);
  EXPECT_EQ(proxy.tunnels().size(), 1u);
}

TEST_F(SenderTest, LogsEachFailedAttemptAtDebugAndNothingAtWarn) {
  auto log = telemetry::logger("telemetry.sender");
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(50);
  const auto level = log->level();
  log->sinks().push_back(sink);
  log->set_level(spdlog::level::debug);
  receiver_.script({500, 500, 500});
  sendTo(receiver_);
  log->set_level(level);
  std::erase(log->sinks(), sink);
  int failures = 0;
  for (const auto& message : sink->last_raw()) {
    EXPECT_LT(message.level, spdlog::level::warn)
        << std::string(message.payload.begin(), message.payload.end());
    const std::string text(message.payload.begin(), message.payload.end());
    if (text.find("failed: HTTP 500") != std::string::npos) ++failures;
  }
  EXPECT_EQ(failures, 3);
}

}  // namespace
