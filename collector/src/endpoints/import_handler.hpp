// POST /imports: an administrator uploads an offline report file (telemetry send --to
// FILE), stored as `telemetry-collector import FILE` stores it. The collector has no user
// accounts: the one credential is the bearer token of `admin-token-file`.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// Refused (403) entirely when no admin token is configured; otherwise the request must
/// carry `Authorization: Bearer <token>`, compared in constant time (401 without it). A
/// cross-site form cannot set that header, so the endpoint needs no CSRF token. Rate
/// limited per address like /pings, so guessing the token is slow. Answers 200 with
/// {"stored", "duplicates", "dropped", "refused": [{"line", "reason"}...]} (at most
/// kMaxListedRefusals listed, "more-refused" counts the rest).
class ImportHandler : public HttpHandler {
 public:
  /// A file of many installations' reports; larger files go through the CLI.
  static constexpr std::size_t kMaxBody = 16 * 1024 * 1024;
  static constexpr std::size_t kMaxListedRefusals = 100;

  explicit ImportHandler(CollectorContext& context) : context_(context) {}

  std::optional<HttpResponse> screen(const HttpRequest& head) override;
  std::size_t maxBody() const override { return kMaxBody; }
  HttpResponse bodyTooLarge() override;
  /// It waits for the store's writer.
  HttpLane lane() const override { return HttpLane::queries; }
  void handle(HttpRequest& request, HttpResponder respond) override;

  /// True when `authorization` is "Bearer " and `token`; the time taken does not depend on
  /// where they differ. Never true for an empty token.
  static bool authorized(const std::string& authorization, const std::string& token);

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
