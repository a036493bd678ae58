// GET /metrics: Prometheus text exposition.
#pragma once

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// Renders CollectorMetrics' counters (as they were before this request).
class MetricsHandler : public HttpHandler {
 public:
  explicit MetricsHandler(CollectorContext& context) : context_(context) {}
  void handle(HttpRequest& request, HttpResponder respond) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
