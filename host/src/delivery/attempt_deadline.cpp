#include "delivery/attempt_deadline.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <algorithm>

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>

namespace telemetry {

AttemptDeadline::AttemptDeadline(Clock::time_point at)
    : at_(at), thread_([this](std::stop_token stop) { run(stop); }) {}

AttemptDeadline::~AttemptDeadline() {
  thread_.request_stop();
  wakeup_.notify_all();
  thread_.join();  // before the descriptors it may still be cutting are closed
}

Poco::Net::StreamSocket AttemptDeadline::connect(const Poco::Net::SocketAddress& address,
                                                 Poco::Timespan timeout) {
  const auto left = std::chrono::duration_cast<std::chrono::microseconds>(at_ - Clock::now());
  if (left.count() <= 0) throw Poco::TimeoutException("the attempt's deadline passed");
  // The descriptor exists before the connect starts, so the deadline can cut the connect too.
  Poco::Net::StreamSocket socket(address.family());
  watch(socket.impl()->sockfd());
  socket.connect(address, std::min(timeout, Poco::Timespan(left.count())));
  socket.setSendTimeout(timeout);
  socket.setReceiveTimeout(timeout);
  socket.setNoDelay(true);
  return socket;
}

bool AttemptDeadline::passed() const {
  std::lock_guard lock(mutex_);
  return passed_;
}

void AttemptDeadline::watch(int fd) {
  FileDescriptor copy(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (!copy) throw Poco::Net::NetException("cannot watch the connection's deadline");
  std::lock_guard lock(mutex_);
  if (passed_) ::shutdown(copy.get(), SHUT_RDWR);
  watched_.push_back(std::move(copy));
}

void AttemptDeadline::run(std::stop_token stop) {
  std::unique_lock lock(mutex_);
  if (wakeup_.wait_until(lock, stop, at_, [] { return false; }) || stop.stop_requested()) return;
  passed_ = true;
  // shutdown(2), not close: every thread blocked on the connection (poll, connect, read,
  // write, a TLS handshake) returns at once, and the session still owns its descriptor.
  for (const FileDescriptor& fd : watched_) ::shutdown(fd.get(), SHUT_RDWR);
}

}  // namespace telemetry
