#include "api/api_response.hpp"

#include <sstream>

#include "report/pretty_json.hpp"

namespace telemetry::api {

void sendBody(Poco::Net::HTTPServerResponse& response, int status, const std::string& contentType,
              const std::string& body) {
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType(contentType);
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  response.send() << body;
}

void sendJson(Poco::Net::HTTPServerResponse& response, const Poco::JSON::Object::Ptr& body) {
  sendBody(response, 200, "application/json", prettyJson(body) + '\n');
}

void sendNoContent(Poco::Net::HTTPServerResponse& response) {
  response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
  response.setContentLength(0);
  response.send();
}

void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("error", std::string(error.what()));
  if (error.field()) body->set("field", *error.field());
  std::ostringstream text;
  body->stringify(text);
  text << '\n';
  sendBody(response, error.status(), "application/json", text.str());
}

}  // namespace telemetry::api
