// Stand-ins for broken servers in tests: a loopback port that refuses connections (bound,
// not listening, so no other test can take it meanwhile), and a listener that accepts TCP
// connections but never says a word.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>

namespace telemetry::test {

/// A loopback TCP socket bound to a free port; listening only when asked.
class LoopbackListener {
 public:
  explicit LoopbackListener(bool listening = true) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        (listening && listen(fd_, 8) != 0)) {
      throw std::runtime_error("cannot open a loopback socket");
    }
    port_ = ntohs(address.sin_port);
  }
  ~LoopbackListener() { close(fd_); }
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  std::uint16_t port() const { return port_; }
  /// The listening socket, for a test server that accepts on it.
  int fd() const { return fd_; }

 private:
  int fd_;
  std::uint16_t port_ = 0;
};

}  // namespace telemetry::test
