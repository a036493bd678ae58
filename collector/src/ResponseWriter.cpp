#include "ResponseWriter.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace telemetry::collector {

void ResponseWriter::send(CollectorMetrics& metrics, Poco::Net::HTTPServerResponse& response,
                          int status, const std::string& contentType, const std::string& body) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType(contentType);
  response.set("X-Content-Type-Options", "nosniff");
  // Head and body in one write: one TLS record and one packet instead of two of each.
  response.sendBuffer(body.data(), body.size());
  metrics.countResponse(status);
}

void ResponseWriter::sendError(CollectorMetrics& metrics, Poco::Net::HTTPServerResponse& response,
                               int status, const std::string& message,
                               const std::optional<std::string>& field) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("error", message);
  if (field) body.set("field", *field);
  std::ostringstream text;
  body.stringify(text);
  send(metrics, response, status, "application/json", text.str());
}

}  // namespace telemetry::collector
