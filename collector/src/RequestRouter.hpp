// Chooses the handler for each request: the only place that knows the URL map.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "CollectorContext.hpp"

namespace telemetry::collector {

/// POST /pings, GET /, GET /api/stats, GET /metrics, GET /healthz; 404/405 otherwise.
class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit RequestRouter(CollectorContext& context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
