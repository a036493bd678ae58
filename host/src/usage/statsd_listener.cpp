#include "usage/statsd_listener.hpp"

#include <stdexcept>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "config/logging.hpp"
#include "telemetry/usage_registry.hpp"

namespace telemetry {
namespace {

// The largest UDP payload; a datagram is never split across receives.
constexpr std::size_t kMaxDatagram = 65535;
// A line quoted in a warning is cut here: it may be anything a local process sent.
constexpr std::size_t kQuotedLength = 80;

std::unique_ptr<Poco::Net::DatagramSocket> bindLoopback(const std::string& address,
                                                        std::chrono::milliseconds pollInterval) {
  Poco::Net::SocketAddress socketAddress;
  try {
    socketAddress = Poco::Net::SocketAddress(address);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("StatsD address '" + address + "': " + e.displayText());
  }
  if (!socketAddress.host().isLoopback()) {
    throw std::invalid_argument("StatsD address '" + address +
                                "' is not loopback; StatsD has no authentication");
  }
  try {
    auto socket = std::make_unique<Poco::Net::DatagramSocket>(socketAddress);
    socket->setReceiveTimeout(Poco::Timespan(
        std::chrono::duration_cast<std::chrono::microseconds>(pollInterval).count()));
    return socket;
  } catch (const Poco::Exception& e) {
    throw std::runtime_error("cannot listen for StatsD on udp://" + address + ": " +
                             e.displayText());
  }
}

}  // namespace

StatsdListener::StatsdListener(const std::string& address, UsageRegistry& usage,
                               StatsdListenerOptions options)
    : usage_(usage), options_(options), socket_(bindLoopback(address, options.pollInterval)) {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

StatsdListener::~StatsdListener() { stop(); }

void StatsdListener::stop() noexcept {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

std::string StatsdListener::address() const { return socket_->address().toString(); }

void StatsdListener::run(std::stop_token stop) {
  std::vector<char> buffer(kMaxDatagram);
  while (!stop.stop_requested()) {
    try {
      receiveOne(buffer);
    } catch (const Poco::TimeoutException&) {
      // Nothing arrived within the poll interval: look at the stop request again.
    } catch (const std::exception& e) {
      logger("telemetry.statsd")->error("StatsD listener: {}", e.what());
      std::this_thread::sleep_for(options_.pollInterval);  // no tight loop on a broken socket
    }
  }
  // What was sent before the stop is already queued: count it, it belongs in the final report.
  try {
    while (socket_->poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) receiveOne(buffer);
  } catch (const std::exception& e) {
    logger("telemetry.statsd")->error("StatsD listener: {}", e.what());
  }
}

void StatsdListener::receiveOne(std::vector<char>& buffer) {
  const int received = socket_->receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
  countDatagram(std::string_view(buffer.data(), static_cast<std::size_t>(received)));
}

void StatsdListener::countDatagram(std::string_view datagram) {
  forEachStatsdLine(datagram, [this](std::string_view line) { countLine(line); });
}

void StatsdListener::countLine(std::string_view line) {
  const auto parsed = parseStatsdLine(line);
  if (const auto* rejection = std::get_if<StatsdRejection>(&parsed)) {
    reject(*rejection, line);
    return;
  }
  const auto& sample = std::get<StatsdSample>(parsed);
  switch (sample.kind) {
    case StatsdSample::Kind::command:
      if (sample.count != 0) usage_.command(sample.name, sample.count);
      break;
    case StatsdSample::Kind::metric:
      if (sample.count != 0) usage_.metric(sample.metric, sample.count);
      break;
    case StatsdSample::Kind::worker:
      usage_.worker(sample.name);
      break;
  }
  accepted_.fetch_add(1, std::memory_order_relaxed);
}

void StatsdListener::reject(StatsdRejection reason, std::string_view line) {
  rejected_.fetch_add(1, std::memory_order_relaxed);
  WarningState& state = warnings_[static_cast<std::size_t>(reason)];
  const auto now = std::chrono::steady_clock::now();
  if (now < state.next) {
    ++state.suppressed;
    return;
  }
  const std::string since = state.suppressed == 0 ? std::string()
                                                  : " (and " + std::to_string(state.suppressed) +
                                                        " more since the last warning)";
  // Escaped ({:?}): the line comes from any local process and may hold control bytes.
  logger("telemetry.statsd")
      ->warn("StatsD line {:?}{} rejected: {}{}", line.substr(0, kQuotedLength),
             line.size() > kQuotedLength ? "..." : "", describe(reason), since);
  state.next = now + options_.warningInterval;
  state.suppressed = 0;
}

}  // namespace telemetry
