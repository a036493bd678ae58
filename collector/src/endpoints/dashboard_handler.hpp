// GET /: the dashboard page.
#pragma once

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// Server-side rendered HTML; no script, no external assets. Reads the store, so it runs
/// on the server's worker pool.
class DashboardHandler : public HttpHandler {
 public:
  explicit DashboardHandler(CollectorContext& context) : context_(context) {}
  HttpLane lane() const override { return HttpLane::queries; }
  void handle(HttpRequest& request, HttpResponder respond) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
