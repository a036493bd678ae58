#include "MetricsHandler.hpp"

#include <Poco/Net/HTTPServerResponse.h>

#include "ResponseWriter.hpp"

namespace telemetry::collector {

void MetricsHandler::handleRequest(Poco::Net::HTTPServerRequest&,
                                   Poco::Net::HTTPServerResponse& response) {
  // Counted before rendering, so a scrape sees itself like any other request.
  context_.metrics.countResponse(200);
  const std::string body = context_.metrics.render();
  response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType("text/plain; version=0.0.4; charset=utf-8");
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  response.send() << body;
}

}  // namespace telemetry::collector
