#include "http/http_exchange.hpp"

#include <Poco/JSON/Object.h>

#include <strings.h>
#include <sstream>

namespace telemetry::collector {

namespace {

bool sameName(const std::string& key, std::string_view name) {
  return key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0;
}

}  // namespace

std::string HttpRequest::header(std::string_view name, std::string_view fallback) const {
  for (const auto& [key, value] : headers) {
    if (sameName(key, name)) return value;
  }
  return std::string(fallback);
}

std::string HttpRequest::headerList(std::string_view name) const {
  std::string list;
  for (const auto& [key, value] : headers) {
    if (!sameName(key, name) || value.empty()) continue;
    if (!list.empty()) list += ", ";
    list += value;
  }
  return list;
}

HttpResponse HttpResponse::text(int status, std::string contentType, std::string body) {
  HttpResponse response;
  response.status = status;
  response.contentType = std::move(contentType);
  response.body = std::move(body);
  return response;
}

HttpResponse HttpResponse::json(int status, std::string body) {
  return text(status, "application/json", std::move(body));
}

HttpResponse HttpResponse::error(int status, std::string_view message,
                                 const std::optional<std::string>& field) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("error", std::string(message));
  if (field) body.set("field", *field);
  std::ostringstream text;
  body.stringify(text);
  return json(status, text.str());
}

}  // namespace telemetry::collector
