// The deadline of one delivery attempt as a whole (connect, proxy CONNECT, TLS, send and
// answer). Poco's timeouts apply to each socket operation, so a peer that drip-feeds could
// keep an attempt going for ever; this cuts the attempt's connections when the deadline passes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include "probes/file_descriptor.hpp"

namespace telemetry {

class AttemptDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  /// Starts watching; every connection opened through connect() is cut at `at`.
  explicit AttemptDeadline(Clock::time_point at);
  /// Stops watching; the connections are left alone if the deadline did not pass.
  ~AttemptDeadline();
  AttemptDeadline(const AttemptDeadline&) = delete;
  AttemptDeadline& operator=(const AttemptDeadline&) = delete;

  /// A TCP connection to `address` that the deadline can cut, connected within `timeout`
  /// or the time left, whichever is shorter, with `timeout` for each later send and
  /// receive. Throws Poco::TimeoutException once the deadline passed.
  Poco::Net::StreamSocket connect(const Poco::Net::SocketAddress& address, Poco::Timespan timeout);
  /// True once the deadline passed and the connections were cut.
  bool passed() const;

 private:
  void watch(int fd);
  void run(std::stop_token stop);

  mutable std::mutex mutex_;
  std::condition_variable_any wakeup_;
  /// Duplicates of the connections' descriptors: shutdown(2) on one cuts the connection,
  /// and owning them means the number cannot be reused by someone else's socket meanwhile.
  std::vector<FileDescriptor> watched_;
  Clock::time_point at_;
  bool passed_ = false;
  std::jthread thread_;  ///< last: starts after the members it uses
};

}  // namespace telemetry
