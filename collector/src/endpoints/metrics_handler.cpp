#include "endpoints/metrics_handler.hpp"

#include <algorithm>
#include <chrono>

namespace telemetry::collector {

void MetricsHandler::handle(HttpRequest&, HttpResponder respond) {
  SpoolFigures spool;
  spool.bytes = context_.spoolSegments.bytes();
  spool.unstoredBytes = context_.drain.unstoredBytes();
  spool.segments = context_.spoolSegments.count();
  if (const auto oldest = context_.drain.oldestUnstoredAt(); oldest != 0) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    spool.oldestUnstoredAge = std::max<std::int64_t>(now - oldest, 0);
  }
  spool.syncs = context_.spool.syncs();
  spool.drained = context_.drain.drained();
  spool.refused = context_.drain.refused();
  respond(HttpResponse::text(200, "text/plain; version=0.0.4; charset=utf-8",
                             context_.metrics.render() + context_.metrics.renderSpool(spool)));
}

}  // namespace telemetry::collector
