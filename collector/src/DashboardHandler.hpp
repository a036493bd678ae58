// GET /: the dashboard page.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "CollectorContext.hpp"

namespace telemetry::collector {

/// Server-side rendered HTML; no script, no external assets.
class DashboardHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit DashboardHandler(CollectorContext& context) : context_(context) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
