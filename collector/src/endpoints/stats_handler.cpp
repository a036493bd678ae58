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
  std::optional<HttpResponse> refusal;
  const auto figures = StatsHandler::figures(context_.stats, filter, refusal);
  if (!figures) return respond(std::move(*refusal));
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

std::shared_ptr<const CollectorStats> StatsHandler::figures(StatsCache& cache,
                                                            const StatsFilter& filter,
                                                            std::optional<HttpResponse>& refusal) {
  try {
    auto found = cache.get(filter);
    if (!found) refusal = busy();
    return found;
  } catch (const StoreUnreachable& e) {
    refusal = unreachable(e);
    return nullptr;
  }
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
