// What every REST request handler works with; owned by ApiServer, outlives all requests.
#pragma once

#include <cstddef>
#include <mutex>

#include "api/auth/login_throttle.hpp"
#include "api/auth/user_directory.hpp"
#include "telemetry/config.hpp"
#include "telemetry/host.hpp"

namespace telemetry::api {

struct ApiContext {
  Host& host;
  const ApiConfig& config;
  UserDirectory& users;
  LoginThrottle& throttle;
  std::size_t maxBody;
  /// One report preview at a time: each runs every probe, which a busy page must not
  /// multiply.
  std::mutex previewMutex;
};

}  // namespace telemetry::api
