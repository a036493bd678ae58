// The cross-site check of POST /imports: a browser's request from another site's page is
// refused; the collector's own page and clients that name no page (curl) pass.
#include "upload/request_origin.hpp"

#include <gtest/gtest.h>

namespace telemetry::collector {
namespace {

HttpRequest from(HttpHeaders headers) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/imports";
  request.headers = std::move(headers);
  return request;
}

TEST(RequestOriginTest, LetsTheCollectorsOwnPageAndClientsWithoutAnOriginThrough) {
  EXPECT_FALSE(RequestOrigin::crossSiteRefusal(from({{"Host", "collector.example:8443"}}), false));
  EXPECT_FALSE(RequestOrigin::crossSiteRefusal(from({{"Host", "collector.example:8443"},
                                                     {"Origin", "https://Collector.example:8443"},
                                                     {"Sec-Fetch-Site", "same-origin"}}),
                                               false));
  // Behind a TLS-terminating proxy the collector cannot tell which scheme the browser used.
  EXPECT_FALSE(RequestOrigin::crossSiteRefusal(
      from({{"Host", "collector.example"}, {"Origin", "https://collector.example"}}), true));
  EXPECT_FALSE(RequestOrigin::crossSiteRefusal(
      from({{"Host", "127.0.0.1:8080"}, {"Origin", "http://127.0.0.1:8080"}}), true));
}

TEST(RequestOriginTest, RefusesAnotherOriginOrSite) {
  const HttpHeaders host{{"Host", "collector.example:8443"}};
  auto with = [&](std::string name, std::string value) {
    HttpHeaders headers = host;
    headers.emplace_back(std::move(name), std::move(value));
    return from(headers);
  };
  EXPECT_TRUE(RequestOrigin::crossSiteRefusal(with("Origin", "https://evil.example"), false));
  EXPECT_TRUE(RequestOrigin::crossSiteRefusal(with("Origin", "null"), false));
  EXPECT_TRUE(RequestOrigin::crossSiteRefusal(with("Origin", "https://collector.example"), false));
  EXPECT_TRUE(RequestOrigin::crossSiteRefusal(with("Origin", "https://collector.example:8443.evil"),
                                              false));
  // Plain http is another origin unless a proxy terminates TLS in front.
  EXPECT_TRUE(
      RequestOrigin::crossSiteRefusal(with("Origin", "http://collector.example:8443"), false));
  EXPECT_TRUE(RequestOrigin::crossSiteRefusal(with("Sec-Fetch-Site", "cross-site"), false));
  EXPECT_TRUE(RequestOrigin::crossSiteRefusal(with("Sec-Fetch-Site", "Same-Site"), false));
  EXPECT_TRUE(RequestOrigin::crossSiteRefusal(from({{"Origin", "https://x"}}), false))
      << "no Host: nothing is our own origin";
}

TEST(RequestOriginTest, NeverEchoesTheSendersOrigin) {
  const auto refusal = RequestOrigin::crossSiteRefusal(
      from({{"Host", "c"}, {"Origin", "https://<script>.example"}}), false);
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->find("<script>"), std::string::npos) << *refusal;
}

}  // namespace
}  // namespace telemetry::collector
