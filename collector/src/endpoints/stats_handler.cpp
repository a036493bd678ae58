#include "endpoints/stats_handler.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "config/collector_log.hpp"
#include "dashboard/stats_csv.hpp"
#include "dashboard/stats_query.hpp"

namespace telemetry::collector {

void StatsHandler::handle(HttpRequest& request, HttpResponder respond) {
  StatsFilter filter;
  try {
    filter = StatsQuery::parse(request.query, StatsQuery::today());
  } catch (const StatsQueryError& e) {
    return respond(HttpResponse::error(400, e.what()));
  }
  std::shared_ptr<const CollectorStats> figures;
  try {
    figures = context_.stats.get(filter);
  } catch (const StoreUnreachable& e) {
    return respond(StatsHandler::unreachable(e));
  }
  if (!figures) return respond(StatsHandler::busy());
  if (format_ == Format::csv) {
    auto answer = HttpResponse::text(200, "text/csv; charset=utf-8", StatsCsv::render(*figures));
    // The name holds only days we formatted, never a sender's text.
    answer.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"telemetry-stats-" +
                                    StatsQuery::formatDay(filter.fromDay.value_or(0)) + "-to-" +
                                    StatsQuery::formatDay(filter.toDay.value_or(0)) + ".csv\"");
    return respond(std::move(answer));
  }
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
