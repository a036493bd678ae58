// The REST API: connections that misbehave or end: stalled and drip-feeding clients, the request
// deadline, stopping, HTTPS, and a listen address in use.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <sstream>
#include <thread>

#include <Poco/Base64Encoder.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "rest_api_fixture.hpp"
#include "telemetry/config_error.hpp"

namespace {

using namespace telemetry::test::rest_api;

TEST_F(RestApiTest, AStalledClientIsDroppedWhileOthersAreServed) {
  telemetry::ApiServerOptions options;
  options.ioTimeout = 1s;
  start(options);
  Poco::Net::StreamSocket stalled(Poco::Net::SocketAddress("127.0.0.1", api_->port()));
  const std::string partial = "GET /telemetry/configuration HTTP/1.1\r\nHost: x\r\n";
  stalled.sendBytes(partial.data(), static_cast<int>(partial.size()));
  EXPECT_EQ(call({"GET", "/telemetry/configuration", kReader}).status, 200);
  stalled.setReceiveTimeout(Poco::Timespan(20, 0));
  // The server closes (or resets) the connection; Poco may answer 400 first.
  std::string answer;
  try {
    char buffer[512];
    for (int n; (n = stalled.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
  } catch (const Poco::TimeoutException&) {
    FAIL() << "a client stalled mid-request was still connected after 20 s";
  } catch (const Poco::Exception&) {
    // reset by the server: dropped
  }
  if (!answer.empty()) {
    EXPECT_THAT(answer, HasSubstr("HTTP/1.1 4"));
  }
}

/// A client that sends its request one byte at a time, every 100 ms, and never finishes:
/// each byte restarts a socket timeout, so only a deadline for the whole request ends it.
class DripFeeder {
 public:
  /// `head` is sent first (a byte at a time), then padding for ever.
  DripFeeder(std::uint16_t port, std::string head)
      : thread_([this, port, head = std::move(head)] { run(port, head); }) {}
  ~DripFeeder() {
    stop_ = true;
    thread_.join();
  }

  bool started() const { return started_; }
  /// True when the server closed the connection; false when the feeder gave up first (after
  /// a generous hang guard, which also frees what it held).
  bool waitUntilCutOff() {
    std::unique_lock lock(mutex_);
    ended_.wait(lock, [&] { return endedFlag_; });
    return cutOff_;
  }

 private:
  void run(std::uint16_t port, const std::string& head) {
    const auto giveUp = std::chrono::steady_clock::now() + 45s;
    bool cutOff = false;
    try {
      Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
      for (std::size_t sent = 0; !stop_ && std::chrono::steady_clock::now() < giveUp; ++sent) {
        const char byte = sent < head.size() ? head[sent] : 'a';
        socket.sendBytes(&byte, 1);
        started_ = true;
        // Anything readable now is the server's goodbye: an error answer or the close.
        if (socket.poll(Poco::Timespan(100 * 1000), Poco::Net::Socket::SELECT_READ)) {
          cutOff = true;
          break;
        }
      }
    } catch (const Poco::Exception&) {
      cutOff = true;  // reset or broken pipe
    }
    std::lock_guard lock(mutex_);
    cutOff_ = cutOff && !stop_;
    endedFlag_ = true;
    ended_.notify_all();
  }

  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};
  std::mutex mutex_;
  std::condition_variable ended_;
  bool endedFlag_ = false;
  bool cutOff_ = false;
  std::thread thread_;
};

TEST_F(RestApiTest, DripFeedingClientsAreCutOffWhileAnAdminIsAnswered) {
  telemetry::ApiServerOptions options;
  options.requestDeadline = 2s;
  start(options);
  // Twice as many as the requests served at once; before the fix 8 were enough to block all.
  std::vector<std::unique_ptr<DripFeeder>> feeders;
  for (int i = 0; i < 16; ++i) {
    feeders.push_back(std::make_unique<DripFeeder>(
        api_->port(), "GET /telemetry/configuration HTTP/1.1\r\nHost: x\r\nX-Pad: "));
  }
  // One that logs in and then drips its body.
  const std::string credentials = "admin:admin-secret";
  std::string base64;
  {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder << credentials;
    encoder.close();
    base64 = out.str();
  }
  feeders.push_back(std::make_unique<DripFeeder>(
      api_->port(), "POST /telemetry/configuration HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
                        base64 +
                        "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"));
  for (const auto& feeder : feeders) {
    for (int i = 0; i < 600 && !feeder->started(); ++i) std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(feeder->started());
  }

  Reply admin = call({"GET", "/telemetry/status", kAdmin});
  EXPECT_EQ(admin.status, 200) << admin.body;
  for (std::size_t i = 0; i < feeders.size(); ++i) {
    EXPECT_TRUE(feeders[i]->waitUntilCutOff()) << "drip-feeder " << i << " still connected";
  }
  EXPECT_EQ(setEnabled(false).status, 204) << "the server still serves afterwards";
}

TEST_F(RestApiTest, TheRequestDeadlineFreesConnectionsHeldByDripFeeders) {
  // Only two connections are read at once: an admin gets one only when the deadline has
  // cut off the drip-feeders holding them.
  telemetry::ApiServerOptions options;
  options.requestDeadline = 1s;
  options.maxConnections = 2;
  start(options);
  std::vector<std::unique_ptr<DripFeeder>> feeders;
  for (int i = 0; i < 4; ++i) {
    feeders.push_back(std::make_unique<DripFeeder>(api_->port(), "GET /telemetry/configuration "));
  }
  for (const auto& feeder : feeders) {
    for (int i = 0; i < 600 && !feeder->started(); ++i) std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(feeder->started());
  }
  Reply admin = call({"GET", "/telemetry/configuration", kAdmin});
  EXPECT_EQ(admin.status, 200) << admin.body;
  for (std::size_t i = 0; i < feeders.size(); ++i) {
    EXPECT_TRUE(feeders[i]->waitUntilCutOff()) << "drip-feeder " << i << " still connected";
  }
}

TEST_F(RestApiTest, ADripFedTlsHandshakeIsCutOffToo) {
  tls_ = true;
  telemetry::ApiServerOptions options;
  options.requestDeadline = 1s;
  start(options);
  // A TLS record header announcing a 16 KiB handshake, then its bytes one at a time.
  DripFeeder feeder(api_->port(), std::string("\x16\x03\x01\x40\x00", 5));
  EXPECT_TRUE(feeder.waitUntilCutOff());
  EXPECT_EQ(call({"GET", "/telemetry/configuration", kReader}).status, 200);
}

TEST_F(RestApiTest, StoppingDoesNotWaitForRequestsStillArriving) {
  // A deadline far beyond the test's timeout: only stopping can end the drip-feeder.
  telemetry::ApiServerOptions options;
  options.requestDeadline = 10min;
  start(options);
  DripFeeder feeder(api_->port(), "GET /telemetry/configuration HTTP/1.1\r\nX-Pad: ");
  for (int i = 0; i < 600 && !feeder.started(); ++i) std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(feeder.started());
  api_->stop();
  EXPECT_TRUE(feeder.waitUntilCutOff());
}

TEST_F(RestApiTest, ServesHttpsWithTheConfiguredCertificate) {
  tls_ = true;
  start();
  EXPECT_THAT(api_->url(), HasSubstr("https://"));
  Reply reply = call({"GET", "/telemetry/configuration", kReader});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(setEnabled(false).status, 204);
  EXPECT_FALSE(storedEnabled());
}

TEST_F(RestApiTest, AnAddressInUseIsAConfigurationError) {
  telemetry::ApiConfig taken = config_.api;
  taken.listen = "127.0.0.1:" + std::to_string(api_->port());
  try {
    ApiServer second(*host_, taken);
    FAIL() << "bound a port in use";
  } catch (const telemetry::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("api.listen"));
  }
}

}  // namespace
