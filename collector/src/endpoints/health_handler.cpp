#include "endpoints/health_handler.hpp"

#include <Poco/JSON/Object.h>

#include <chrono>
#include <sstream>

namespace telemetry::collector {

void HealthHandler::handle(HttpRequest&, HttpResponder respond) {
  if (context_.spool.full()) {
    return respond(HttpResponse::error(
        503, "the spool is full: reports wait for the store, new ones are answered 503"));
  }
  std::string failure = context_.drain.failure();
  if (failure.empty() && context_.store.writable(std::chrono::seconds(5))) {
    return respond(HttpResponse::json(200, R"({"status":"ok"})"));
  }
  // Still 200: reports are accepted into the spool, so a load balancer should keep the node.
  if (failure.empty()) failure = "no write went through within 5 s";
  const std::string reason = "the store does not accept writes (" + failure +
                             "); reports are kept in the spool until it does";
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("status", "degraded");
  body.set("reason", reason);
  std::ostringstream text;
  body.stringify(text);
  respond(HttpResponse::json(200, text.str()));
}

}  // namespace telemetry::collector
