#include "endpoints/collector_context.hpp"

#include <Poco/Net/IPAddress.h>

#include <chrono>
#include <string>

namespace telemetry::collector {

std::optional<HttpResponse> screenSender(CollectorContext& context, const HttpRequest& head,
                                         IpKeyRing::Hashes& hashes) {
  hashes = context.ipKeys.hash(context.resolver.resolve(Poco::Net::IPAddress(head.peer),
                                                        head.headerList("X-Forwarded-For")));
  std::chrono::seconds retryAfter{};
  if (context.rateLimiter.allow(hashes.current, hashes.former, retryAfter)) return std::nullopt;
  context.metrics.countRateLimited();
  auto answer = HttpResponse::error(429, "too many requests");
  answer.headers.emplace_back("Retry-After", std::to_string(retryAfter.count()));
  return answer;
}

}  // namespace telemetry::collector
