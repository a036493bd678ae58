// GET /healthz: 200 "ok" when the store accepts a write, 200 "degraded" when only the spool
// does, 503 when the spool is full.
#pragma once

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// Pushes a probe through the writer thread, so a stuck writer shows as unhealthy too; waits
/// for it up to 5 s on the probes lane, never behind a dashboard query.
class HealthHandler : public HttpHandler {
 public:
  explicit HealthHandler(CollectorContext& context) : context_(context) {}
  HttpLane lane() const override { return HttpLane::probes; }
  void handle(HttpRequest& request, HttpResponder respond) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
