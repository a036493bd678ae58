#include "server/collector_routes.hpp"

#include <array>

#include "endpoints/dashboard_handler.hpp"
#include "endpoints/deletion_handler.hpp"
#include "endpoints/health_handler.hpp"
#include "endpoints/import_handler.hpp"
#include "endpoints/metrics_handler.hpp"
#include "endpoints/ping_handler.hpp"
#include "endpoints/stats_handler.hpp"
#include "upload/import_page_handler.hpp"

namespace telemetry::collector {
namespace {

template <class Handler>
std::unique_ptr<HttpHandler> make(CollectorContext& context) {
  return std::make_unique<Handler>(context);
}

std::unique_ptr<HttpHandler> makeStatsCsv(CollectorContext& context) {
  return std::make_unique<StatsHandler>(context, StatsHandler::Format::csv);
}

constexpr std::array kRoutes{
    Route{"POST", "/pings", make<PingHandler>},
    Route{"GET", "/", make<DashboardHandler>},
    Route{"GET", "/api/stats", make<StatsHandler>},
    Route{"GET", "/api/stats.csv", makeStatsCsv},
    Route{"GET", "/metrics", make<MetricsHandler>},
    Route{"GET", "/healthz", make<HealthHandler>},
    Route{"POST", "/deletions", make<DeletionHandler>},
    // GET first: Allow lists the methods in table order, "GET, HEAD, POST".
    Route{"GET", "/imports", make<ImportPageHandler>},
    Route{"POST", "/imports", make<ImportHandler>},
};

}  // namespace

std::span<const Route> collectorRoutes() { return kRoutes; }

}  // namespace telemetry::collector
