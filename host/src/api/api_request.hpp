// Reading REST request bodies: size cap (413), media type (415), JSON shape (400 naming
// the field).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPServerRequest.h>

namespace telemetry::api {

/// The whole body; ApiError 413 when it is longer than `limit`.
std::string readBody(Poco::Net::HTTPServerRequest& request, std::size_t limit);

/// The body as a JSON object with only `allowedFields`; ApiError 415 unless the request is
/// application/json (which also keeps plain HTML forms of other sites out), 400 for bad
/// JSON or an unknown field.
Poco::JSON::Object::Ptr readJsonObject(Poco::Net::HTTPServerRequest& request, std::size_t limit,
                                       std::initializer_list<std::string_view> allowedFields);

}  // namespace telemetry::api
