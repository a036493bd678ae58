#include "endpoints/health_handler.hpp"

#include <chrono>

namespace telemetry::collector {

void HealthHandler::handle(HttpRequest&, HttpResponder respond) {
  if (context_.store.writable(std::chrono::seconds(5))) {
    respond(HttpResponse::json(200, R"({"status":"ok"})"));
  } else {
    respond(HttpResponse::error(503, "the store does not accept writes"));
  }
}

}  // namespace telemetry::collector
