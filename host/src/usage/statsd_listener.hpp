// The StatsD-compatible UDP listener of `usage.statsd-listen`: instrumentation that already
// speaks StatsD counts commands, metrics and task workers into a UsageRegistry with it.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "usage/statsd_line.hpp"

namespace Poco::Net {
class DatagramSocket;
}

namespace telemetry {

class UsageRegistry;

/// Knobs for tests; the defaults are the production values.
struct StatsdListenerOptions {
  /// How long one receive waits before it looks for a stop request: bounds stop().
  std::chrono::milliseconds pollInterval{250};
  /// A rejection reason already warned about is warned about again only after this.
  std::chrono::milliseconds warningInterval{std::chrono::minutes(10)};
};

/// Receives StatsD datagrams on a loopback address on its own thread and counts every good
/// line (see parseStatsdLine) into a UsageRegistry; other lines are counted as rejected and
/// warned about once per reason, rate-limited.
class StatsdListener {
 public:
  /// Binds `address` (HOST:PORT; port 0 takes a free one) and starts the thread. Throws
  /// std::invalid_argument for an address that is not loopback (StatsD has no
  /// authentication) and std::runtime_error when it can't bind.
  StatsdListener(const std::string& address, UsageRegistry& usage,
                 StatsdListenerOptions options = {});
  /// Calls stop().
  ~StatsdListener();
  StatsdListener(const StatsdListener&) = delete;
  StatsdListener& operator=(const StatsdListener&) = delete;

  /// Counts the datagrams already queued, stops receiving and joins the thread, within
  /// about one poll interval. Safe to call twice.
  void stop() noexcept;

  /// The bound address, e.g. `127.0.0.1:8125` (the port chosen when 0 was asked for).
  std::string address() const;
  /// Lines counted since the start.
  std::uint64_t accepted() const noexcept { return accepted_.load(std::memory_order_relaxed); }
  /// Lines refused since the start.
  std::uint64_t rejected() const noexcept { return rejected_.load(std::memory_order_relaxed); }

 private:
  /// When a reason was last warned about and how often it came since.
  struct WarningState {
    std::chrono::steady_clock::time_point next{};
    std::uint64_t suppressed = 0;
  };

  void run(std::stop_token stop);
  void receiveOne(std::vector<char>& buffer);
  void countDatagram(std::string_view datagram);
  void countLine(std::string_view line);
  void reject(StatsdRejection reason, std::string_view line);

  UsageRegistry& usage_;
  const StatsdListenerOptions options_;
  std::unique_ptr<Poco::Net::DatagramSocket> socket_;
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::array<WarningState, kStatsdRejectionCount> warnings_{};  ///< only the thread uses it
  std::jthread thread_;
};

}  // namespace telemetry
