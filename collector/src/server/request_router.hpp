// Chooses the handler for each request by the routes of collector_routes.cpp.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"
#include "server/collector_routes.hpp"

namespace telemetry::collector {

/// The route's handler; 405 with Allow when the path has routes for other methods only;
/// 404 otherwise.
class RequestRouter {
 public:
  explicit RequestRouter(CollectorContext& context,
                         std::span<const Route> routes = collectorRoutes())
      : context_(context), routes_(routes) {}
  std::unique_ptr<HttpHandler> route(const HttpRequest& head) const;

 private:
  CollectorContext& context_;
  std::span<const Route> routes_;
};

/// The Allow header of `path`: its routes' methods in table order, HEAD after GET; ""
/// when no route has that path.
std::string allowedMethods(std::span<const Route> routes, std::string_view path);

}  // namespace telemetry::collector
