#include "telemetry/http/request_body.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/MediaType.h>
#include <Poco/String.h>

#include <algorithm>

namespace telemetry::http {

std::string readCappedBody(std::istream& in, std::size_t limit) {
  std::string body;
  char buffer[8192];
  while (body.size() <= limit && in) {
    const std::size_t want = std::min(sizeof(buffer), limit + 1 - body.size());
    in.read(buffer, static_cast<std::streamsize>(want));
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  return body;
}

Poco::Dynamic::Var parseJsonBody(const std::string& body, std::size_t maxDepth) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  parser.setDepth(maxDepth);
  return parser.parse(body);
}

bool isJsonMediaType(const std::string& contentType) {
  if (contentType.empty()) return false;
  try {
    const Poco::Net::MediaType type(contentType);
    const std::string sub = Poco::toLower(type.getSubType());
    return Poco::icompare(type.getType(), "application") == 0 &&
           (sub == "json" || sub.ends_with("+json"));
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace telemetry::http
