#include "api/api_request.hpp"

#include <algorithm>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "api/api_error.hpp"
#include "api/strict_json_handler.hpp"
#include "report/utf8_text.hpp"
#include "telemetry/http/request_body.hpp"

namespace telemetry::api {
namespace {

// Our request bodies are flat; a tight limit keeps hostile nesting from costing stack.
constexpr std::size_t kMaxJsonDepth = 8;

/// A body with each byte that is not UTF-8 and each escaped NUL (\u0000) replaced by U+FFFD,
/// and what was replaced, if anything.
struct MarkedBody {
  std::string text;
  std::optional<std::string> refused;
};

MarkedBody markRefusedText(const std::string& body) {
  const bool utf8 = isValidUtf8(body);
  MarkedBody marked{utf8 ? body : toValidUtf8(body), std::nullopt};
  bool nul = false;
  // The replacement has the same length and ends in no backslash, so the search goes on
  // right after it.
  for (std::size_t from = 0;;) {
    auto at = firstEscapedNul(std::string_view(marked.text).substr(from));
    if (!at) break;
    marked.text.replace(from + *at, 6, "\\uFFFD");
    from += *at + 6;
    nul = true;
  }
  if (!utf8 || nul) {
    marked.refused = utf8  ? "holds a NUL character (\\u0000)"
                     : nul ? "holds a NUL character or bytes that are not UTF-8"
                           : "is not valid UTF-8";
  }
  return marked;
}

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
  // Poco refuses bytes that are not UTF-8 without saying where, and cuts keys at an escaped
  // NUL; parsed with U+FFFD in their place, the handler finds the field that held them.
  const MarkedBody marked = markRefusedText(body);
  Poco::SharedPtr<StrictJsonHandler> handler = new StrictJsonHandler(marked.refused);
  Poco::Dynamic::Var document;
  try {
    Poco::JSON::Parser parser(handler);
    parser.setDepth(kMaxJsonDepth);
    document = parser.parse(marked.text);
  } catch (const Poco::SyntaxException& e) {
    throw ApiError(400, "the body holds a number out of range: " + e.message());
  } catch (const Poco::Exception& e) {
    if (marked.refused) throw ApiError(400, "the body " + *marked.refused);
    throw ApiError(400, "the body is not valid JSON: " + e.message());
  }
  if (const auto& problem = handler->problem()) {
    throw ApiError(400, "'" + problem->field + "' " + problem->message, problem->field);
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
