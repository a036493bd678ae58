#include "HealthHandler.hpp"

#include <Poco/Net/HTTPServerResponse.h>

#include "ResponseWriter.hpp"

namespace telemetry::collector {

void HealthHandler::handleRequest(Poco::Net::HTTPServerRequest&,
                                  Poco::Net::HTTPServerResponse& response) {
  if (context_.store.writable(std::chrono::seconds(5))) {
    ResponseWriter::send(context_.metrics, response, 200, "application/json", R"({"status":"ok"})");
  } else {
    ResponseWriter::sendError(context_.metrics, response, 503, "the store does not accept writes");
  }
}

}  // namespace telemetry::collector
