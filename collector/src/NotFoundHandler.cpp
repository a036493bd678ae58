#include "NotFoundHandler.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "ResponseWriter.hpp"

namespace telemetry::collector {

void NotFoundHandler::handleRequest(Poco::Net::HTTPServerRequest&,
                                    Poco::Net::HTTPServerResponse& response) {
  // The body was not read; the connection cannot be reused safely.
  response.setKeepAlive(false);
  if (allow_.empty()) {
    ResponseWriter::sendError(metrics_, response, 404, "not found");
  } else {
    response.set("Allow", allow_);
    ResponseWriter::sendError(metrics_, response, 405, "method not allowed");
  }
}

}  // namespace telemetry::collector
