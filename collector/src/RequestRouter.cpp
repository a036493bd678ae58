#include "RequestRouter.hpp"

#include <Poco/Net/HTTPServerRequest.h>

#include "DashboardHandler.hpp"
#include "HealthHandler.hpp"
#include "MetricsHandler.hpp"
#include "NotFoundHandler.hpp"
#include "PingHandler.hpp"
#include "StatsHandler.hpp"

namespace telemetry::collector {

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
  const std::string& uri = request.getURI();
  const std::string path = uri.substr(0, uri.find('?'));
  const std::string& method = request.getMethod();
  const bool get = method == "GET" || method == "HEAD";
  if (path == "/pings") {
    if (method == "POST") return new PingHandler(context_);
    return new NotFoundHandler(context_.metrics, "POST");
  }
  if (path == "/" || path == "/api/stats" || path == "/metrics" || path == "/healthz") {
    if (!get) return new NotFoundHandler(context_.metrics, "GET, HEAD");
    if (path == "/") return new DashboardHandler(context_);
    if (path == "/api/stats") return new StatsHandler(context_);
    if (path == "/metrics") return new MetricsHandler(context_);
    return new HealthHandler(context_);
  }
  return new NotFoundHandler(context_.metrics, "");
}

}  // namespace telemetry::collector
