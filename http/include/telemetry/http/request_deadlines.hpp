// Cuts off connections whose request does not arrive in time. A socket timeout restarts with
// every byte, so without this a client that drips one byte at a time holds its connection
// (and its server thread) for ever ("slowloris").
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include <Poco/Net/StreamSocket.h>

namespace telemetry::http {

/// A watchdog thread over the connections it watches: when a connection's deadline passes,
/// it shuts down the reading side of its socket, so the blocked read ends at once and the
/// server drops the connection. Thread-safe.
class RequestDeadlines {
 public:
  using Clock = std::chrono::steady_clock;

  /// One watched connection. Destroy it before the socket closes (its descriptor could be
  /// reused by another connection).
  class Watch {
   public:
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

    /// The next request (head and body) must have arrived within the limit from now.
    void arm();
    /// The request has arrived: no deadline until the next arm().
    void disarm();
    /// True once the watchdog has cut this connection off.
    bool cutOff() const;

   private:
    friend class RequestDeadlines;
    Watch(RequestDeadlines& owner, std::uint64_t id) : owner_(owner), id_(id) {}
    RequestDeadlines& owner_;
    std::uint64_t id_;
  };

  explicit RequestDeadlines(std::chrono::milliseconds limit);
  /// Stops the watchdog; every Watch must be gone by then.
  ~RequestDeadlines();
  RequestDeadlines(const RequestDeadlines&) = delete;
  RequestDeadlines& operator=(const RequestDeadlines&) = delete;

  /// Starts watching `socket`, armed.
  std::unique_ptr<Watch> watch(const Poco::Net::StreamSocket& socket);

  /// Cuts off now every connection still waiting for its request (a server stopping), and
  /// from then on every connection as soon as it is watched or armed: one accepted just
  /// before the stop must not wait for a deadline nobody is left to need.
  void expireAll();

  /// Connections cut off so far.
  std::uint64_t cutOffCount() const;

 private:
  struct Entry {
    Poco::Net::StreamSocket socket;
    std::optional<Clock::time_point> deadline;
    bool cutOff = false;
  };

  void run();

  const std::chrono::milliseconds limit_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, Entry> entries_;
  std::uint64_t nextId_ = 0;
  std::uint64_t cutOffCount_ = 0;
  bool stopping_ = false;
  bool expired_ = false;  ///< expireAll() was called
  std::thread watchdog_;
};

}  // namespace telemetry::http
