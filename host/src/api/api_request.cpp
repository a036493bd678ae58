#include "api_request.hpp"

#include <algorithm>

#include <Poco/Exception.h>

#include "api_error.hpp"
#include "telemetry/http/request_body.hpp"

namespace telemetry::api {
namespace {

// Our request bodies are flat; a tight limit keeps hostile nesting from costing stack.
constexpr std::size_t kMaxJsonDepth = 8;

ApiError tooLarge(std::size_t limit) {
  return ApiError(413, "the request body is larger than " + std::to_string(limit) + " bytes");
}

}  // namespace

std::string readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit) {
  // A declared size over the limit is refused before reading a byte of it.
  if (request.hasContentLength() &&
      request.getContentLength64() > static_cast<Poco::Int64>(limit)) {
    throw tooLarge(limit);
  }
  std::string body = http::readCappedBody(request.stream(), limit);
  if (body.size() > limit) throw tooLarge(limit);
  return body;
}

Poco::JSON::Object::Ptr readJsonObject(Poco::Net::HTTPServerRequest& request, std::size_t limit,
                                       std::initializer_list<std::string_view> allowedFields) {
  if (!http::isJsonMediaType(request.getContentType())) {
    throw ApiError(415, "Content-Type must be application/json");
  }
  const std::string body = readBody(request, limit);
  Poco::Dynamic::Var document;
  try {
    document = http::parseJsonBody(body, kMaxJsonDepth);
  } catch (const Poco::Exception& e) {
    throw ApiError(400, "the body is not valid JSON: " + e.message());
  }
  if (document.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw ApiError(400, "the body must be a JSON object");
  }
  auto object = document.extract<Poco::JSON::Object::Ptr>();
  for (const auto& [name, value] : *object) {
    if (std::find(allowedFields.begin(), allowedFields.end(), name) == allowedFields.end()) {
      std::string known;
      for (std::string_view field : allowedFields) {
        known += (known.empty() ? "'" : ", '") + std::string(field) + "'";
      }
      throw ApiError(400, "unknown field '" + name + "' (known: " + known + ")", name);
    }
  }
  return object;
}

}  // namespace telemetry::api
