// POST /deletions: an installation asks to be forgotten (Glean's deletion-request ping).
#pragma once

#include <string>

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// The same screening as /pings (rate limit, content type, declared size), a body of at
/// most kMaxBody bytes naming the installation, then the store deletes its reports and
/// records it as deleted in one transaction before the 202. A repeated request is answered
/// 202 as well: deleting twice leaves the same store.
class DeletionHandler : public HttpHandler {
 public:
  /// {"installation": "<36 characters>"} needs 54 bytes; room for whitespace, no more.
  static constexpr std::size_t kMaxBody = 1024;

  explicit DeletionHandler(CollectorContext& context) : context_(context) {}

  std::optional<HttpResponse> screen(const HttpRequest& head) override;
  std::size_t maxBody() const override { return kMaxBody; }
  HttpResponse bodyTooLarge() override;
  void handle(HttpRequest& request, HttpResponder respond) override;

 private:
  HttpResponse reject(RejectReason reason, int status, const std::string& message,
                      const std::optional<std::string>& field = std::nullopt);

  CollectorContext& context_;
};

}  // namespace telemetry::collector
