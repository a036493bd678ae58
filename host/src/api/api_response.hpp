// Writing REST responses: JSON bodies, 204, JSON errors. Every answer is complete when
// these return.
#pragma once

#include <string>

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "api/api_error.hpp"

namespace telemetry::api {

void sendBody(Poco::Net::HTTPServerResponse& response, int status, const std::string& contentType,
              const std::string& body);
void sendJson(Poco::Net::HTTPServerResponse& response, const Poco::JSON::Object::Ptr& body);
void sendNoContent(Poco::Net::HTTPServerResponse& response);
/// {"error": message, "field": name} with the error's status.
void sendError(Poco::Net::HTTPServerResponse& response, const ApiError& error);

}  // namespace telemetry::api
