// GET /healthz: 200 when the store accepts a write, else 503.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "CollectorContext.hpp"

namespace telemetry::collector {

/// Pushes a probe through the writer thread, so a stuck writer shows as unhealthy too.
class HealthHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit HealthHandler(CollectorContext& context) : context_(context) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
