// Whether a request that writes comes from the collector's own pages: a browser names the
// page that made it (Origin, Sec-Fetch-Site); scripts and curl send neither.
#pragma once

#include <optional>
#include <string>

#include "http/http_exchange.hpp"

namespace telemetry::collector {

class RequestOrigin {
 public:
  /// Why the request is refused as cross-site, or nullopt. Refused: `Sec-Fetch-Site:
  /// cross-site` or `same-site`, and an `Origin` other than the request's own scheme and
  /// Host (`null` included). The scheme is https, or either one behind a TLS-terminating
  /// proxy (`plainHttp`), which must pass the browser's Host on.
  static std::optional<std::string> crossSiteRefusal(const HttpRequest& head, bool plainHttp);
};

}  // namespace telemetry::collector
