#include "endpoints/deletion_handler.hpp"

#include "endpoints/idempotency_key.hpp"
#include "report/deletion_request.hpp"
#include "server/epoch_seconds.hpp"
#include "telemetry/http/request_body.hpp"

namespace telemetry::collector {

HttpResponse DeletionHandler::reject(RejectReason reason, int status, const std::string& message,
                                     const std::optional<std::string>& field) {
  context_.metrics.countReject(reason);
  return HttpResponse::error(status, message, field);
}

std::optional<HttpResponse> DeletionHandler::screen(const HttpRequest& head) {
  // The IP hash is used for the rate limit only: a deletion request stores no address.
  IpKeyRing::Hashes ipHashes;
  if (auto refused = screenSender(context_, head, ipHashes)) return refused;
  if (!http::isJsonMediaType(head.header("Content-Type"))) {
    return reject(RejectReason::notJson, 415, "Content-Type must be application/json");
  }
  if (head.contentLength && *head.contentLength > kMaxBody) return bodyTooLarge();
  return std::nullopt;
}

HttpResponse DeletionHandler::bodyTooLarge() {
  return reject(RejectReason::tooLarge, 413,
                "a deletion request is at most " + std::to_string(kMaxBody) + " bytes");
}

void DeletionHandler::handle(HttpRequest& request, HttpResponder respond) {
  if (!isAcceptableIdempotencyKey(request.header("Idempotency-Key"))) {
    return respond(reject(RejectReason::malformed, 400,
                          "Idempotency-Key must be at most 200 printable characters"));
  }
  DeletionRequest::Problem problem;
  auto deletion = DeletionRequest::parse(request.body, problem);
  if (!deletion) {
    return respond(reject(problem.notJson ? RejectReason::malformed : RejectReason::invalid, 400,
                          problem.message, problem.field));
  }
  try {
    // Runs on the store's writer thread after the commit; this handler is gone by then.
    context_.store.submitDeletion(
        deletion->installation(), epochSecondsNow(),
        [&metrics = context_.metrics, respond](StoreOutcome, std::exception_ptr failure) {
          if (failure) {
            respond(HttpResponse::error(500, "the deletion could not be stored"));
            return;
          }
          metrics.countDeletion();
          respond(HttpResponse::json(202, R"({"deleted":true})"));
        });
  } catch (const StoreOverloaded& e) {
    auto answer = reject(RejectReason::overloaded, 503, e.what());
    answer.headers.emplace_back("Retry-After", "1");
    respond(std::move(answer));
  }
}

}  // namespace telemetry::collector
