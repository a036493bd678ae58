#include "endpoints/request_router.hpp"

#include "endpoints/dashboard_handler.hpp"
#include "endpoints/health_handler.hpp"
#include "endpoints/metrics_handler.hpp"
#include "endpoints/not_found_handler.hpp"
#include "endpoints/ping_handler.hpp"
#include "endpoints/stats_handler.hpp"

namespace telemetry::collector {

std::unique_ptr<HttpHandler> RequestRouter::route(const HttpRequest& head) const {
  const std::string& path = head.path;
  const std::string& method = head.method;
  const bool get = method == "GET" || method == "HEAD";
  if (path == "/pings") {
    if (method == "POST") return std::make_unique<PingHandler>(context_);
    return std::make_unique<NotFoundHandler>("POST");
  }
  if (path == "/" || path == "/api/stats" || path == "/metrics" || path == "/healthz") {
    if (!get) return std::make_unique<NotFoundHandler>("GET, HEAD");
    if (path == "/") return std::make_unique<DashboardHandler>(context_);
    if (path == "/api/stats") return std::make_unique<StatsHandler>(context_);
    if (path == "/metrics") return std::make_unique<MetricsHandler>(context_);
    return std::make_unique<HealthHandler>(context_);
  }
  return std::make_unique<NotFoundHandler>("");
}

}  // namespace telemetry::collector
