// POST /pings: receives one report.
#pragma once

#include <string>

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// Cheapest checks first, on the head alone (rate limit, content type and encoding, declared
/// size), so floods of junk cost little; then inflate a gzip body (no larger than max-body
/// once inflated), parse, schema validation, duplicates (from memory), and the spool before
/// 202. It never waits: the spool's writer answers once the record is synced.
class PingHandler : public HttpHandler {
 public:
  explicit PingHandler(CollectorContext& context) : context_(context) {}

  std::optional<HttpResponse> screen(const HttpRequest& head) override;
  std::size_t maxBody() const override { return context_.config.maxBody; }
  HttpResponse bodyTooLarge() override;
  void handle(HttpRequest& request, HttpResponder respond) override;

 private:
  HttpResponse reject(RejectReason reason, int status, const std::string& message,
                      const std::optional<std::string>& field = std::nullopt);

  CollectorContext& context_;
  IpKeyRing::Hashes ipHashes_;  // screen() works them out for handle()
  BodyEncoding encoding_ = BodyEncoding::identity;
};

}  // namespace telemetry::collector
