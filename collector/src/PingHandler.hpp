// POST /pings: receives one report.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "CollectorContext.hpp"

namespace telemetry::collector {

/// Cheapest checks first (rate limit, content type, declared size) so floods of junk cost
/// little; then bounded read, parse, schema validation, and a durable store before 202.
class PingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit PingHandler(CollectorContext& context) : context_(context) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
