// A server that hangs half way: a loopback relay to a real database server that stops
// passing the client's bytes on at a chosen message (e.g. the first query after the
// log-in), so the client waits for an answer that never comes, as with a server stuck in
// a lock or on a full disk. A stall lasts at most a generous hang guard; a test asserts
// that the client cut the stalled connection itself, long before that.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "telemetry/test/loopback_listener.hpp"

namespace telemetry::test {

class StallingProxy {
 public:
  /// Decides on one read from the client: true holds it and everything after it back.
  using StallAt = std::function<bool(std::string_view fromClient)>;

  /// Only against a hang: a stall this long ends with the proxy hanging up itself.
  static constexpr std::chrono::seconds kHangGuard{60};

  /// Relays one connection at a time to 127.0.0.1:`serverPort` until `stallAt` says so.
  StallingProxy(std::uint16_t serverPort, StallAt stallAt)
      : serverPort_(serverPort), stallAt_(std::move(stallAt)) {
    if (::pipe(wake_) != 0) throw std::runtime_error("cannot create a pipe");
    relay_ = std::thread([this] { relay(); });
  }
  ~StallingProxy() {
    (void)!::write(wake_[1], "x", 1);
    relay_.join();
    ::close(wake_[0]);
    ::close(wake_[1]);
  }
  StallingProxy(const StallingProxy&) = delete;
  StallingProxy& operator=(const StallingProxy&) = delete;

  std::uint16_t port() const { return listener_.port(); }
  /// Whether a client got as far as the message the proxy holds back.
  bool stalled() const { return stalled_; }
  /// Waits until the stalled connection ended: true if the client closed it (gave up),
  /// false if the proxy ended it (hang guard, server gone) or nothing stalled.
  bool clientGaveUp() {
    std::unique_lock lock(mutex_);
    ended_.wait(lock, [&] { return stallEnd_ != StallEnd::none || !stalled_; });
    return stallEnd_ == StallEnd::client;
  }

  /// `stallAt` for PostgreSQL: a simple-protocol query ('Q'). The start-up and SSL request
  /// messages begin with their length, whose first byte is 0.
  static bool postgresQuery(std::string_view fromClient) { return fromClient.starts_with('Q'); }
  /// `stallAt` for MySQL/MariaDB: COM_QUERY (0x03), which opens a new exchange (sequence
  /// id 0); the log-in packets that precede it have sequence ids from 1.
  static bool mysqlQuery(std::string_view fromClient) {
    return fromClient.size() > 4 && fromClient[3] == 0 && fromClient[4] == 0x03;
  }

 private:
  static int connectToServer(std::uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      return fd;
    }
    if (fd >= 0) ::close(fd);
    return -1;
  }
  static bool writeAll(int fd, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  enum class StallEnd { none, client, proxy };

  void endStall(StallEnd how) {
    std::lock_guard lock(mutex_);
    if (stallEnd_ == StallEnd::none) stallEnd_ = how;
    ended_.notify_all();
  }

  void relay() {
    int client = -1, server = -1;
    auto hangUp = [&] {
      if (client >= 0) ::close(client);
      if (server >= 0) ::close(server);
      client = server = -1;
    };
    char buffer[16384];
    std::chrono::steady_clock::time_point stalledAt;
    for (;;) {
      pollfd fds[3] = {{wake_[0], POLLIN, 0},
                       {client < 0 ? listener_.fd() : client, POLLIN, 0},
                       {server, POLLIN, 0}};
      const bool holding = stalled_ && client >= 0;
      const int wait =
          holding ? static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         stalledAt + kHangGuard - std::chrono::steady_clock::now())
                                         .count())
                  : -1;
      const int ready = ::poll(fds, server < 0 ? 2 : 3, holding ? std::max(wait, 0) : -1);
      if (ready < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (fds[0].revents != 0) break;
      if (ready == 0) {
        hangUp();
        endStall(StallEnd::proxy);
        continue;
      }
      if (client < 0) {
        if ((fds[1].revents & POLLIN) == 0) continue;
        client = ::accept(listener_.fd(), nullptr, nullptr);
        server = client < 0 ? -1 : connectToServer(serverPort_);
        if (server < 0) hangUp();
        continue;
      }
      if (fds[1].revents != 0) {
        ssize_t n = ::recv(client, buffer, sizeof buffer, 0);
        if (n <= 0) {
          hangUp();
          if (stalled_) endStall(StallEnd::client);
          continue;
        }
        std::string_view chunk(buffer, static_cast<std::size_t>(n));
        if (!stalled_ && stallAt_(chunk)) {
          stalled_ = true;
          stalledAt = std::chrono::steady_clock::now();
        }
        if (!stalled_ && !writeAll(server, chunk)) hangUp();
      }
      if (server >= 0 && fds[2].revents != 0) {
        ssize_t n = ::recv(server, buffer, sizeof buffer, 0);
        if (n <= 0 || !writeAll(client, std::string_view(buffer, static_cast<std::size_t>(n)))) {
          hangUp();
          if (stalled_) endStall(StallEnd::proxy);
        }
      }
    }
    hangUp();
    endStall(StallEnd::proxy);  // the proxy itself went away
  }

  LoopbackListener listener_;
  std::uint16_t serverPort_;
  StallAt stallAt_;
  std::atomic<bool> stalled_{false};
  std::mutex mutex_;
  std::condition_variable ended_;
  StallEnd stallEnd_ = StallEnd::none;
  int wake_[2] = {-1, -1};
  std::thread relay_;
};

}  // namespace telemetry::test
