#include "upload/request_origin.hpp"

#include <Poco/String.h>

namespace telemetry::collector {

std::optional<std::string> RequestOrigin::crossSiteRefusal(const HttpRequest& head,
                                                           bool plainHttp) {
  const std::string site = Poco::toLower(head.header("Sec-Fetch-Site"));
  if (site == "cross-site" || site == "same-site") {
    return "a request from another site's page is refused (Sec-Fetch-Site: " + site + ")";
  }
  const std::string origin = head.header("Origin");
  if (origin.empty()) return std::nullopt;
  const std::string host = head.header("Host");
  const bool own = !host.empty() && (Poco::icompare(origin, "https://" + host) == 0 ||
                                     (plainHttp && Poco::icompare(origin, "http://" + host) == 0));
  // Neither Origin nor Host is echoed: both are the sender's bytes.
  if (!own) return "a request from another origin's page is refused (Origin)";
  return std::nullopt;
}

}  // namespace telemetry::collector
