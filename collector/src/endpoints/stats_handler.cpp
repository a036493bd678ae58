#include "endpoints/stats_handler.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace telemetry::collector {

void StatsHandler::handle(HttpRequest&, HttpResponder respond) {
  const auto figures = context_.stats.get();
  if (!figures) return respond(StatsHandler::busy());
  std::ostringstream body;
  figures->toJson()->stringify(body, 2);
  respond(HttpResponse::json(200, body.str()));
}

HttpResponse StatsHandler::busy() {
  auto answer = HttpResponse::error(503, "the figures are being computed; try again shortly");
  answer.headers.emplace_back("Retry-After", "2");
  return answer;
}

}  // namespace telemetry::collector
