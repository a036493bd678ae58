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
  std::optional<HttpResponse> refusal;
  const auto figures = StatsHandler::figures(context_.stats, filter, refusal);
  if (!figures) return respond(std::move(*refusal));
  respond(page(200, DashboardPage::render(*figures)));
}

}  // namespace telemetry::collector
