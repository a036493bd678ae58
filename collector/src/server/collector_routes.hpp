// The collector's URL map: method, path and the handler that answers (docs/architecture.md,
// "The collector"). RequestRouter matches against it and derives 405 and Allow from it.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// Makes the handler of one request on a route.
using HandlerFactory = std::unique_ptr<HttpHandler> (*)(CollectorContext&);

/// One line of the URL map. A GET route answers HEAD as well.
struct Route {
  std::string_view method;
  std::string_view path;
  HandlerFactory makeHandler;
};

/// Every route the collector serves, in the order Allow lists their methods.
std::span<const Route> collectorRoutes();

}  // namespace telemetry::collector
