// Poco's HTTP server with what it lacks against slow and numerous clients: a deadline for
// each whole request (head and body) and a cap on the requests handled at once, apart from
// the cheap connections that are still arriving.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/ServerSocket.h>

namespace telemetry::http {

struct HttpServerLimits {
  /// Connections read at once, a thread each (cheap while they wait for bytes). More wait in
  /// the queue.
  int connections = 128;
  /// Accepted connections waiting for a thread; beyond that new connections are closed.
  int queued = 256;
  /// Requests handled at once, once they have arrived in full.
  int workers = 8;
  /// The head and body of a request must arrive within this, counted from the connection
  /// (or the previous answer on a kept-alive connection), or the connection is cut off.
  std::chrono::milliseconds requestDeadline{std::chrono::seconds(10)};
  /// For each socket read or write.
  std::chrono::milliseconds ioTimeout{std::chrono::seconds(10)};
  /// An idle kept-alive connection is closed after this.
  std::chrono::milliseconds keepAliveTimeout{std::chrono::seconds(5)};
  /// Bodies up to this size are read before a worker handles the request; a larger one is
  /// handed over unread (the handler answers 413).
  std::size_t maxBody = 1 << 20;
  /// The Server header.
  std::string serverName;
};

/// Serves `socket` with the handlers `factory` makes. A request whose body is broken (the
/// connection ended early, or a Transfer-Encoding other than chunked) is answered 400 and
/// the connection closed, without a handler.
class HttpServer {
 public:
  HttpServer(Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
             const Poco::Net::ServerSocket& socket, const HttpServerLimits& limits);
  /// Stops as stopAll(true).
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void start();
  /// Stops accepting; ends idle connections, and with `abortCurrent` the busy ones too.
  void stopAll(bool abortCurrent);
  /// Connections being read or handled now.
  int currentConnections() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace telemetry::http
