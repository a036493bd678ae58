#include "endpoints/dashboard_handler.hpp"

#include "dashboard/dashboard_page.hpp"
#include "endpoints/stats_handler.hpp"

namespace telemetry::collector {

void DashboardHandler::handle(HttpRequest&, HttpResponder respond) {
  std::shared_ptr<const CollectorStats> figures;
  try {
    figures = context_.stats.get();
  } catch (const StoreUnreachable& e) {
    return respond(StatsHandler::unreachable(e));
  }
  if (!figures) return respond(StatsHandler::busy());
  auto answer =
      HttpResponse::text(200, "text/html; charset=utf-8", DashboardPage::render(*figures));
  // The page embeds strings senders chose; the policy forbids anything but our inline CSS.
  answer.headers.emplace_back("Content-Security-Policy",
                              "default-src 'none'; style-src 'unsafe-inline'");
  respond(std::move(answer));
}

}  // namespace telemetry::collector
