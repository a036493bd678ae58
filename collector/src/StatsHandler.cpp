#include "StatsHandler.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace telemetry::collector {

void StatsHandler::handle(HttpRequest&, HttpResponder respond) {
  std::ostringstream body;
  context_.store.stats().toJson()->stringify(body, 2);
  respond(HttpResponse::json(200, body.str()));
}

}  // namespace telemetry::collector
