// What answers one request: the extension point between the HTTP server and the
// collector's endpoints (RequestRouter picks one per request).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "http/http_exchange.hpp"

namespace telemetry::collector {

/// Hands the answer back to the connection; callable from any thread, exactly once.
using HttpResponder = std::function<void(HttpResponse)>;

/// Where a handler runs. Health checks have a lane of their own so that a load balancer's
/// probe never waits behind dashboard queries (which once delayed it by seconds).
enum class HttpLane {
  network,  // the connection's network thread: the handler must not block
  queries,  // the worker pool: may block, on the store's read session say
  probes,   // a pool of its own, for health checks that wait on the store's writer
};

/// A new handler serves each request, so screen() may leave what it learned for handle().
/// Handlers run on the server's network threads and must not block there: a handler that
/// waits (on the store, say) names another lane().
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;

  /// Called with the head alone. An answer here is sent without reading the body, and the
  /// connection is closed after it, which is what lets floods and oversized bodies cost little.
  virtual std::optional<HttpResponse> screen(const HttpRequest& head) {
    (void)head;
    return std::nullopt;
  }
  /// The largest body read; a longer one is answered with bodyTooLarge().
  virtual std::size_t maxBody() const { return 8 * 1024; }
  virtual HttpResponse bodyTooLarge() {
    return HttpResponse::error(413, "the request body is too large");
  }
  virtual HttpLane lane() const { return HttpLane::network; }
  /// Answers through `respond`, now or later (after the store committed, say).
  virtual void handle(HttpRequest& request, HttpResponder respond) = 0;
};

}  // namespace telemetry::collector
