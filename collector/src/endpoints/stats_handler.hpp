// GET /api/stats: the dashboard's figures as JSON.
#pragma once

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"
#include "store/report_store.hpp"

namespace telemetry::collector {

/// Serves the figures of StatsCache (on the worker pool): at most one query runs at a time.
class StatsHandler : public HttpHandler {
 public:
  explicit StatsHandler(CollectorContext& context) : context_(context) {}
  HttpLane lane() const override { return HttpLane::queries; }
  void handle(HttpRequest& request, HttpResponder respond) override;
  /// The answer while another request's query runs and no recent figures are at hand.
  static HttpResponse busy();
  /// The answer when the dashboard's store (store-read) can't be read: 503, logged.
  static HttpResponse unreachable(const StoreUnreachable& e);

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
