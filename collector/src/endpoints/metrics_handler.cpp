#include "endpoints/metrics_handler.hpp"

namespace telemetry::collector {

void MetricsHandler::handle(HttpRequest&, HttpResponder respond) {
  respond(HttpResponse::text(200, "text/plain; version=0.0.4; charset=utf-8",
                             context_.metrics.render()));
}

}  // namespace telemetry::collector
