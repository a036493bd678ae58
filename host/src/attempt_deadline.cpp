#include "attempt_deadline.hpp"

#include <sys/socket.h>

namespace telemetry {
namespace {

// The socket gets its descriptor only once it connects (and a proxy tunnel brings a new
// one): after the deadline, look again this often until the attempt gives up.
constexpr std::chrono::milliseconds kRecut{20};

}  // namespace

AttemptDeadline::AttemptDeadline(Poco::Net::StreamSocket socket, Clock::time_point at)
    : socket_(std::move(socket)), at_(at), thread_([this](std::stop_token stop) { run(stop); }) {}

AttemptDeadline::~AttemptDeadline() {
  thread_.request_stop();
  wakeup_.notify_all();
}

void AttemptDeadline::watch(Poco::Net::StreamSocket socket) {
  std::lock_guard lock(mutex_);
  socket_ = std::move(socket);
}

bool AttemptDeadline::passed() const {
  std::lock_guard lock(mutex_);
  return passed_;
}

void AttemptDeadline::run(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  if (wakeup_.wait_until(lock, stop, at_, [] { return false; }) || stop.stop_requested()) return;
  passed_ = true;
  while (!stop.stop_requested()) {
    // shutdown(2), not close: the descriptor stays the session's, and every thread blocked
    // on it (poll, read, write, a TLS handshake) returns at once.
    const auto fd = socket_.impl()->sockfd();
    if (fd != POCO_INVALID_SOCKET) ::shutdown(fd, SHUT_RDWR);
    wakeup_.wait_for(lock, stop, kRecut, [] { return false; });
  }
}

}  // namespace telemetry
