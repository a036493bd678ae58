#include "StatsHandler.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <sstream>

#include "ResponseWriter.hpp"

namespace telemetry::collector {

void StatsHandler::handleRequest(Poco::Net::HTTPServerRequest&,
                                 Poco::Net::HTTPServerResponse& response) {
  std::ostringstream body;
  context_.store.stats().toJson()->stringify(body, 2);
  ResponseWriter::send(context_.metrics, response, 200, "application/json", body.str());
}

}  // namespace telemetry::collector
