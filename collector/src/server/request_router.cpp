#include "server/request_router.hpp"

#include "server/not_found_handler.hpp"

namespace telemetry::collector {
namespace {

bool answers(const Route& route, std::string_view method) {
  return method == route.method || (route.method == "GET" && method == "HEAD");
}

}  // namespace

std::unique_ptr<HttpHandler> RequestRouter::route(const HttpRequest& head) const {
  for (const Route& candidate : routes_) {
    if (candidate.path == head.path && answers(candidate, head.method)) {
      return candidate.makeHandler(context_);
    }
  }
  return std::make_unique<NotFoundHandler>(allowedMethods(routes_, head.path));
}

std::string allowedMethods(std::span<const Route> routes, std::string_view path) {
  std::string allow;
  const auto add = [&allow](std::string_view method) {
    if (!allow.empty()) allow += ", ";
    allow += method;
  };
  for (const Route& route : routes) {
    if (route.path != path) continue;
    add(route.method);
    if (route.method == "GET") add("HEAD");
  }
  return allow;
}

}  // namespace telemetry::collector
