// The connection limits end to end: too many, idle and silent connections are closed.
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <sys/resource.h>

#include <thread>

#include "collector_end_to_end.hpp"

namespace telemetry::collector::test {
namespace {

// Reads until the peer closes; false when it still says nothing after `wait`.
bool closedByPeer(Poco::Net::StreamSocket& socket, std::chrono::seconds wait) {
  socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(wait.count()), 0));
  char byte = 0;
  try {
    int received = 0;
    while ((received = socket.receiveBytes(&byte, 1)) > 0) {
    }
    return received == 0;  // negative: nothing arrived within the wait
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Net::NetException&) {  // a reset, or TLS ended without close_notify
    return true;
  }
}

TEST_F(CollectorEndToEndTest, ClosesConnectionsOverTheConfiguredLimit) {
  // A long request timeout: only the limit may close the second connection.
  start("connections: { max: 1, request-timeout: 1h }\n");
  Poco::Net::SocketAddress address("127.0.0.1", static_cast<Poco::UInt16>(port));
  {
    // A finished handshake proves the server runs the first connection.
    Poco::Net::SecureStreamSocket first(address);
    first.completeHandshake();
    Poco::Net::StreamSocket second(address);
    EXPECT_TRUE(closedByPeer(second, std::chrono::seconds(20)));
  }
  // Once the first is gone a request gets through again; the server may take a moment to see
  // the close.
  std::string metrics;
  int refusedAttempts = 0;
  while (metrics.empty() && refusedAttempts < 100) {
    try {
      metrics = request("GET", "/metrics").body;
    } catch (const Poco::Exception&) {
      ++refusedAttempts;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_NE(metrics.find("telemetry_collector_connections_refused_total " +
                         std::to_string(1 + refusedAttempts) + "\n"),
            std::string::npos)
      << metrics;
}

TEST_F(CollectorEndToEndTest, AppliesTheConfiguredConnectionLimits) {
  start("connections: { max: 7, request-timeout: 1s, keep-alive-timeout: 2s, threads: 3 }\n");
  EXPECT_NE(collector->log().find("connections: at most 7, 1s to send a request, 2s "
                                  "keep-alive, 3 network threads"),
            std::string::npos)
      << collector->log();

  int networkThreads = 0;
  for (const auto& task :
       fs::directory_iterator("/proc/" + std::to_string(collector->pid()) + "/task")) {
    if (readFile(task.path() / "comm") == "http-network\n") ++networkThreads;
  }
  EXPECT_EQ(networkThreads, 3);

  // A hang guard well above the 1s configured and below the 15 s default.
  Poco::Net::StreamSocket silent(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  EXPECT_TRUE(closedByPeer(silent, std::chrono::seconds(10)));
}

TEST_F(CollectorEndToEndTest, WarnsWhenTheConnectionLimitExceedsTheOpenFileLimit) {
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_max == RLIM_INFINITY || files.rlim_max >= 4000000000u) {
    GTEST_SKIP() << "no finite open-file limit to exceed";
  }
  const auto max = std::to_string(files.rlim_max + 1);
  start("connections: { max: " + max + " }\n");
  EXPECT_NE(collector->log().find("connections.max is " + max + " but the open-file limit is " +
                                  std::to_string(files.rlim_max)),
            std::string::npos)
      << collector->log();
}

}  // namespace
}  // namespace telemetry::collector::test
