// The deadline of one delivery attempt as a whole (connect, TLS, send and answer). Poco's
// timeouts apply to each socket operation, so a collector that drip-feeds its answer could
// keep an attempt going for ever; this cuts the connection when the deadline passes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <Poco/Net/StreamSocket.h>

namespace telemetry {

class AttemptDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  /// Watches `socket` (a handle sharing the session's socket) until `at`, then shuts it
  /// down, so that every blocked read or write of the attempt fails at once.
  AttemptDeadline(Poco::Net::StreamSocket socket, Clock::time_point at);
  /// Stops watching; the socket is left alone if the deadline did not pass.
  ~AttemptDeadline();
  AttemptDeadline(const AttemptDeadline&) = delete;
  AttemptDeadline& operator=(const AttemptDeadline&) = delete;

  /// Watches this socket instead (the session's socket changes when a proxy tunnel is
  /// attached). Call from the attempting thread between socket operations.
  void watch(Poco::Net::StreamSocket socket);
  /// True once the deadline passed and the connection was cut.
  bool passed() const;

 private:
  void run(std::stop_token stop);

  mutable std::mutex mutex_;
  std::condition_variable_any wakeup_;
  Poco::Net::StreamSocket socket_;
  Clock::time_point at_;
  bool passed_ = false;
  std::jthread thread_;  ///< last: starts after the members it uses
};

}  // namespace telemetry
