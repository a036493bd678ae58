// The sender's address end to end: never stored or logged in the clear, and taken from
// X-Forwarded-For only when a trusted proxy sent it.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "collector_end_to_end.hpp"
#include "privacy/ip_key_file.hpp"
#include "store/ip_hasher.hpp"

namespace telemetry::collector::test {
namespace {

TEST_F(CollectorEndToEndTest, NeverStoresOrLogsTheClientIp) {
  // Listening on the wildcard address keeps "127.0.0.1" out of the "listening on" line.
  start("logging: { level: trace }\n", "0.0.0.0:0");
  ASSERT_EQ(post(example()).status, 202);
  ASSERT_EQ(post(initial()).status, 202);
  post("{}");
  post("not json");
  EXPECT_EQ(collector->stop(), 0);
  const auto keys = IpKeyFile(dir / "collector.ip-keys").read();
  ASSERT_EQ(keys.size(), 1u);
  const std::string expectedHash = IpHasher(keys[0].secret).hash("127.0.0.1");
  std::string stored;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("collector.db")) {
      stored += readFile(entry.path());
    }
  }
  EXPECT_NE(stored.find(expectedHash), std::string::npos) << "the IP hash is what is stored";
  EXPECT_EQ(stored.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(collector->log().find("127.0.0.1"), std::string::npos) << collector->log();
}

TEST_F(CollectorEndToEndTest, BelievesForwardedForOnlyFromATrustedProxy) {
  start(
      "plain-http: true\ntrusted-proxies: [127.0.0.1]\nrate-limit: { per-minute: 1, burst: 1 }\n");
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.1"}}).status, 400);
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.2"}}).status, 400);
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.1"}}).status, 429);
}

// Found by an outside trial: behind HAProxy (`option forwardfor`) the proxy appends its own
// X-Forwarded-For line; reading only the first line let a client pick its own address and
// walk past the rate limit.
TEST_F(CollectorEndToEndTest, CombinesEveryForwardedForLineBeforePickingTheClient) {
  start(
      "plain-http: true\ntrusted-proxies: [127.0.0.1]\nrate-limit: { per-minute: 1, burst: 1 }\n");
  auto postWithLines = [&](const std::string& chosenByClient) {
    Poco::Net::StreamSocket socket(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(30, 0));
    const std::string request =
        "POST /pings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 2\r\nConnection: close\r\nX-Forwarded-For: " +
        chosenByClient + "\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n{}";
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string answer;
    char buffer[4096];
    for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
    return answer.substr(0, answer.find("\r\n"));
  };
  EXPECT_EQ(postWithLines("198.51.100.1"), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(postWithLines("198.51.100.2"), "HTTP/1.1 429 Too Many Requests");
}

TEST_F(CollectorEndToEndTest, IgnoresForwardedForFromAnUntrustedPeer) {
  start("plain-http: true\nrate-limit: { per-minute: 1, burst: 1 }\n");
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.1"}}).status, 400);
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.2"}}).status, 429);
}

}  // namespace
}  // namespace telemetry::collector::test
