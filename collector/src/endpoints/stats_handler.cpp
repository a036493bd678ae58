#include "endpoints/stats_handler.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "config/collector_log.hpp"

namespace telemetry::collector {

void StatsHandler::handle(HttpRequest&, HttpResponder respond) {
  std::shared_ptr<const CollectorStats> figures;
  try {
    figures = context_.stats.get();
  } catch (const StoreUnreachable& e) {
    return respond(StatsHandler::unreachable(e));
  }
  if (!figures) return respond(StatsHandler::busy());
  std::ostringstream body;
  figures->toJson()->stringify(body, 2);
  respond(HttpResponse::json(200, body.str()));
}

HttpResponse StatsHandler::unreachable(const StoreUnreachable& e) {
  // The reason names the server, not the sender: logged, not answered.
  CollectorLog::get()->warn("{}", e.what());
  auto answer = HttpResponse::error(503, "the figures' store cannot be read now; try again later");
  answer.headers.emplace_back("Retry-After", "10");
  return answer;
}

HttpResponse StatsHandler::busy() {
  auto answer = HttpResponse::error(503, "the figures are being computed; try again shortly");
  answer.headers.emplace_back("Retry-After", "2");
  return answer;
}

}  // namespace telemetry::collector
