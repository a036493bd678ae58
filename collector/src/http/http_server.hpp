// The collector's HTTP(S) server: event-driven (Boost.Beast over Boost.Asio), so thousands
// of keep-alive connections cost buffers, not threads.
#pragma once

#include <Poco/Net/Context.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/http_handler.hpp"

namespace telemetry::collector {

/// Network threads run the connections (TLS, HTTP parsing, handlers that do not block);
/// small pools run the handlers that do, one for queries and one for health probes
/// (HttpLane). Replaces Poco::Net::HTTPServer, whose
/// thread per connection and per-request polling cost the collector most of its time.
class HttpServer {
 public:
  /// Picks the handler for a request from its head; never null.
  using HandlerFactory = std::function<std::unique_ptr<HttpHandler>(const HttpRequest& head)>;
  /// What the server tells its owner (the collector's /metrics counts it); called from the
  /// network threads, so each must be quick and thread-safe. Any may be left empty.
  struct Events {
    std::function<void(int status)> answered;  // every answer sent
    std::function<void()> connectionOpened;
    std::function<void()> connectionClosed;
    std::function<void()> connectionRefused;  // closed at once: maxConnections were open
    std::function<void()> acceptFailed;       // accept() failed (out of descriptors, say)
  };

  struct Options {
    std::string host;
    std::uint16_t port = 0;
    Poco::Net::Context::Ptr tls;                // null: plain HTTP
    std::size_t networkThreads = 0;             // 0: one per CPU
    std::size_t workerThreads = 2;              // HttpLane::queries
    std::size_t probeThreads = 2;               // HttpLane::probes
    std::size_t maxConnections = 4096;          // more are closed as soon as they are accepted
    std::chrono::seconds requestTimeout{15};    // to send a request head or body
    std::chrono::seconds keepAliveTimeout{10};  // idle between two requests
    // After a failed accept(): accepting again at once would spin on the same error.
    std::chrono::milliseconds acceptRetryPause{100};
  };

  /// Binds the listening socket; throws when the address cannot be bound.
  HttpServer(Options options, HandlerFactory handlers, Events events);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void start();
  /// Stops accepting, closes idle connections, lets requests in flight be answered (up to
  /// `drain`), then closes the rest. Blocks until the threads ended.
  void stop(std::chrono::seconds drain = std::chrono::seconds(15));
  /// The bound address with the real port ("127.0.0.1:8443", "[::1]:8443").
  std::string boundAddress() const;
  /// The options as given; networkThreads() resolves 0 to the number of threads running.
  const Options& options() const;
  std::size_t networkThreads() const;
  std::size_t openConnections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace telemetry::collector
