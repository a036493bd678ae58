// What the HTTP server's connections share: the registry that lets stop() reach them, and
// the parts every connection uses. Internal to HttpServer.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "http/http_server.hpp"

namespace telemetry::collector {

/// A connection as the registry sees it.
class HttpConnection : public std::enable_shared_from_this<HttpConnection> {
 public:
  virtual ~HttpConnection() = default;
  virtual void start() = 0;
  /// Closes the connection if it waits for a request, or after the answer in flight.
  virtual void stopWhenIdle() = 0;
  /// Closes it now.
  virtual void close() = 0;
};

/// Shared by all connections of one server; outlives them.
struct HttpConnections {
  HttpConnections(HttpServer::HandlerFactory handlers, HttpServer::Events events,
                  std::chrono::seconds requestTimeout, std::chrono::seconds keepAliveTimeout,
                  boost::asio::thread_pool& workers, boost::asio::thread_pool& probes)
      : handlers(std::move(handlers)),
        events(std::move(events)),
        requestTimeout(requestTimeout),
        keepAliveTimeout(keepAliveTimeout),
        workers(workers),
        probes(probes) {}

  HttpServer::HandlerFactory handlers;
  HttpServer::Events events;
  std::chrono::seconds requestTimeout;
  std::chrono::seconds keepAliveTimeout;
  boost::asio::thread_pool& workers;  // HttpLane::queries
  boost::asio::thread_pool& probes;   // HttpLane::probes

  std::mutex mutex;
  std::unordered_set<HttpConnection*> open;  // registered on start, removed on destruction
  std::atomic<bool> stopping{false};

  std::size_t count() {
    std::lock_guard lock(mutex);
    return open.size();
  }
  /// Calls `action` on every open connection (those being destroyed are skipped), outside
  /// the lock: a connection's last owner may be this call, and its destructor takes the lock.
  template <class Action>
  void forEach(Action action) {
    std::vector<std::shared_ptr<HttpConnection>> alive;
    {
      std::lock_guard lock(mutex);
      for (auto* connection : open) {
        if (auto owner = connection->weak_from_this().lock()) alive.push_back(std::move(owner));
      }
    }
    for (auto& connection : alive) action(*connection);
  }
};

}  // namespace telemetry::collector
