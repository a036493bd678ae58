// The REST API's requests: method, path, who may make them and what they do
// (CONTRACT.md "Host REST API").
#pragma once

#include <span>
#include <string_view>

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "api/api_context.hpp"

namespace telemetry::api {

enum class Access {
  anyUser,  ///< any authenticated user
  admin,    ///< members of api.admin-group
  usage,    ///< members of the "usage" group (the product reporting its usage)
};

/// The group that may POST /telemetry/usage.
inline constexpr std::string_view kUsageGroup = "usage";

/// One authenticated request in progress.
struct ApiCall {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  const ApiUser& user;
};

using Endpoint = void (*)(ApiContext&, ApiCall&);

struct Route {
  std::string_view method;
  std::string_view path;
  Access access;
  Endpoint endpoint;
};

std::span<const Route> apiRoutes();

}  // namespace telemetry::api
