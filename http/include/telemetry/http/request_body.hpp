// Reading request bodies without trusting the client about their size.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace telemetry::http {

/// Reads at most limit + 1 bytes: enough to know the body is too large without reading
/// it all. A result longer than `limit` means "too large".
std::string readCappedBody(std::istream& in, std::size_t limit);

/// True for application/json and application/<anything>+json, with any parameters.
bool isJsonMediaType(const std::string& contentType);

}  // namespace telemetry::http
