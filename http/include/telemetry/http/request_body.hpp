// Reading request bodies without trusting the client about their size.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

#include <Poco/Dynamic/Var.h>

namespace telemetry::http {

/// Reads at most limit + 1 bytes: enough to know the body is too large without reading
/// it all. A result longer than `limit` means "too large".
std::string readCappedBody(std::istream& in, std::size_t limit);

/// Parses a JSON request body, nesting at most `maxDepth` deep (hostile nesting must not
/// cost stack). Throws Poco::Exception (e.g. Poco::JSON::JSONException) for bad JSON.
Poco::Dynamic::Var parseJsonBody(const std::string& body, std::size_t maxDepth);

/// True for application/json and application/<anything>+json, with any parameters.
bool isJsonMediaType(const std::string& contentType);

}  // namespace telemetry::http
