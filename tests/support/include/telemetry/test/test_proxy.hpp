// A minimal HTTP CONNECT proxy on 127.0.0.1 for proxy tests: records each tunnel's target
// and credentials and relays bytes both ways, so TLS runs end to end through it.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

namespace telemetry::test {

class TestProxy {
 public:
  /// One CONNECT request.
  struct Tunnel {
    std::string target;         ///< host:port
    std::string authorization;  ///< its Proxy-Authorization header; empty when absent
    std::string host;           ///< its Host header; empty when absent
  };

  TestProxy();
  ~TestProxy();
  TestProxy(const TestProxy&) = delete;
  TestProxy& operator=(const TestProxy&) = delete;

  /// http://127.0.0.1:PORT
  std::string url() const;
  /// Every CONNECT seen, in order.
  std::vector<Tunnel> tunnels() const;

  /// Closes the listener and every open tunnel; the destructor calls it.
  void stop();

 private:
  void acceptLoop();
  void serve(Poco::Net::StreamSocket client);
  /// False once stopping: the caller must not use the socket.
  bool track(const Poco::Net::StreamSocket& socket);

  Poco::Net::ServerSocket socket_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<Tunnel> tunnels_;
  std::vector<Poco::Net::StreamSocket> open_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace telemetry::test
