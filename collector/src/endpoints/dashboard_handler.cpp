#include "endpoints/dashboard_handler.hpp"

#include "dashboard/dashboard_page.hpp"
#include "dashboard/stats_query.hpp"
#include "endpoints/stats_handler.hpp"

namespace telemetry::collector {
namespace {

// The page embeds strings senders chose; the policy forbids anything but our inline CSS.
HttpResponse page(int status, std::string html) {
  auto answer = HttpResponse::text(status, "text/html; charset=utf-8", std::move(html));
  answer.headers.emplace_back("Content-Security-Policy",
                              "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  return answer;
}

}  // namespace

void DashboardHandler::handle(HttpRequest& request, HttpResponder respond) {
  StatsFilter filter;
  try {
    filter = StatsQuery::parse(request.query, StatsQuery::today());
  } catch (const StatsQueryError& e) {
    return respond(page(400, DashboardPage::renderRefusal(e.what())));
  }
  std::shared_ptr<const CollectorStats> figures;
  try {
    figures = context_.stats.get(filter);
  } catch (const StoreUnreachable& e) {
    return respond(StatsHandler::unreachable(e));
  }
  if (!figures) return respond(StatsHandler::busy());
  respond(page(200, DashboardPage::render(*figures)));
}

}  // namespace telemetry::collector
