// GET /metrics: Prometheus text exposition.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "CollectorContext.hpp"

namespace telemetry::collector {

/// Renders CollectorMetrics' counters.
class MetricsHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit MetricsHandler(CollectorContext& context) : context_(context) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
