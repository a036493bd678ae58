// GET /api/stats: the dashboard's figures as JSON.
#pragma once

#include "CollectorContext.hpp"
#include "HttpHandler.hpp"

namespace telemetry::collector {

/// Reads the store on every request (on the worker pool); the figures are cheap next to the
/// reports themselves.
class StatsHandler : public HttpHandler {
 public:
  explicit StatsHandler(CollectorContext& context) : context_(context) {}
  bool blocks() const override { return true; }
  void handle(HttpRequest& request, HttpResponder respond) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
