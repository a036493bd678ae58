// A minimal HTTP CONNECT proxy on 127.0.0.1 for proxy tests: records each tunnel's target
// and relays bytes both ways, so TLS runs end to end through it.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/ServerSocket.h>

namespace telemetry::test {

class TestProxy {
 public:
  TestProxy();
  ~TestProxy();
  TestProxy(const TestProxy&) = delete;
  TestProxy& operator=(const TestProxy&) = delete;

  /// http://127.0.0.1:PORT
  std::string url() const;
  /// The host:port of every CONNECT seen, in order.
  std::vector<std::string> targets() const;

 private:
  void acceptLoop();
  void tunnel(Poco::Net::StreamSocket client);

  Poco::Net::ServerSocket socket_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::string> targets_;
  std::vector<std::thread> tunnels_;
  std::thread acceptor_;
};

}  // namespace telemetry::test
