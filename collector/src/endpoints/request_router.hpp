// Chooses the handler for each request: the only place that knows the URL map.
#pragma once

#include <memory>

#include "http/http_handler.hpp"
#include "server/collector_context.hpp"

namespace telemetry::collector {

/// POST /pings, GET /, GET /api/stats, GET /metrics, GET /healthz; 404/405 otherwise.
class RequestRouter {
 public:
  explicit RequestRouter(CollectorContext& context) : context_(context) {}
  std::unique_ptr<HttpHandler> route(const HttpRequest& head) const;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
