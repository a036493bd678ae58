// POST /imports: an administrator uploads an offline report file (telemetry send --to
// FILE), stored as `telemetry-collector import FILE` stores it. The collector has no user
// accounts: the one credential is the token of `admin-token-file`, as a bearer header from
// scripts or as the `token` part of GET /imports' form from a browser.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// Refused (403) entirely when no admin token is configured, and when a browser says the
/// request comes from another site's page (RequestOrigin). A body of the file itself needs
/// `Authorization: Bearer <token>` (401 without it, before the body is read); a
/// multipart/form-data body (ImportForm) carries the token as its `token` part (403 when it
/// is wrong). Either token is compared in constant time; a cross-site page cannot know it,
/// so the endpoint needs no CSRF token. Rate limited per address like /pings, so guessing
/// the token is slow. Answers 200 with {"stored", "duplicates", "dropped", "refused":
/// [{"line", "reason"}...]} (at most kMaxListedRefusals listed, "more-refused" counts the
/// rest), or with ImportResultPage's HTML when the body is a form or Accept names text/html
/// (errors too).
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
  /// `answer` as the client wants it: an error's JSON becomes ImportResultPage's refusal.
  HttpResponse forClient(HttpResponse answer) const;
  /// The file of a form body, once its token is checked; nullopt after answering.
  std::optional<std::string> formFile(HttpRequest& request, const HttpResponder& respond);

  CollectorContext& context_;
  bool form_ = false;  // multipart/form-data: the upload form's body
  bool html_ = false;  // answered as a page: a form, or Accept names text/html
};

}  // namespace telemetry::collector
