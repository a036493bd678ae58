// GET /api/stats: the dashboard's figures as JSON.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "CollectorContext.hpp"

namespace telemetry::collector {

/// Reads the store on every request; the figures are cheap next to the reports themselves.
class StatsHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit StatsHandler(CollectorContext& context) : context_(context) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
