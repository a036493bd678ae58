#include "endpoints/ping_handler.hpp"

#include <Poco/String.h>

#include <memory>
#include <optional>

#include "endpoints/idempotency_key.hpp"
#include "http/gzip_body.hpp"
#include "report/report_document.hpp"
#include "server/epoch_seconds.hpp"
#include "spool/spool_record.hpp"
#include "telemetry/http/request_body.hpp"

namespace telemetry::collector {
namespace {

/// gzip (and its old name x-gzip, RFC 9110 8.4.1.3) or none; nullopt for anything else,
/// stacked codings included.
std::optional<BodyEncoding> bodyEncoding(const HttpRequest& head) {
  const std::string coding = Poco::toLower(Poco::trim(head.headerList("Content-Encoding")));
  if (coding.empty() || coding == "identity") return BodyEncoding::identity;
  if (coding == "gzip" || coding == "x-gzip") return BodyEncoding::gzip;
  return std::nullopt;
}

}  // namespace

HttpResponse PingHandler::reject(RejectReason reason, int status, const std::string& message,
                                 const std::optional<std::string>& field) {
  context_.metrics.countReject(reason);
  return HttpResponse::error(status, message, field);
}

std::optional<HttpResponse> PingHandler::screen(const HttpRequest& head) {
  if (auto refused = screenSender(context_, head, ipHashes_)) return refused;
  if (!http::isJsonMediaType(head.header("Content-Type"))) {
    return reject(RejectReason::notJson, 415, "Content-Type must be application/json");
  }
  const auto encoding = bodyEncoding(head);
  if (!encoding) {
    auto answer = reject(RejectReason::unsupportedEncoding, 415,
                         "Content-Encoding must be gzip or none (identity)");
    // RFC 7694: what a sender may use instead.
    answer.headers.emplace_back("Accept-Encoding", "gzip");
    return answer;
  }
  encoding_ = *encoding;
  // Answered without reading the body; the server closes the connection after it.
  if (head.contentLength && *head.contentLength > context_.config.maxBody) return bodyTooLarge();
  return std::nullopt;
}

HttpResponse PingHandler::bodyTooLarge() {
  return reject(RejectReason::tooLarge, 413,
                "the report is larger than " + std::to_string(context_.config.maxBody) + " bytes");
}

void PingHandler::handle(HttpRequest& request, HttpResponder respond) {
  std::string idempotencyKey = request.header("Idempotency-Key");
  if (!isAcceptableIdempotencyKey(idempotencyKey)) {
    return respond(reject(RejectReason::malformed, 400,
                          "Idempotency-Key must be at most 200 printable characters"));
  }

  context_.metrics.countWireBytes(encoding_, request.body.size());
  if (encoding_ == BodyEncoding::gzip) {
    try {
      // The same limit as a plain body: a report does not grow by being compressed.
      request.body = GzipBody::inflate(request.body, context_.config.maxBody);
    } catch (const GzipBodyTooLarge& e) {
      return respond(reject(RejectReason::tooLarge, 413, e.what()));
    } catch (const GzipBodyMalformed& e) {
      return respond(reject(RejectReason::malformed, 400, e.what()));
    }
  }
  context_.metrics.countDecodedBytes(encoding_, request.body.size());

  std::optional<ReportDocument> document;
  try {
    document.emplace(request.body);
  } catch (const JsonSyntaxError& e) {
    return respond(reject(RejectReason::malformed, 400, e.what()));
  }
  if (auto error = context_.validator.validate(document->root())) {
    const std::string where = error->pointer.empty() ? "the report" : error->pointer;
    return respond(
        reject(RejectReason::invalid, 400, where + " " + error->message, error->pointer));
  }

  auto report = ReceivedReport::fromDocument(document->root(), std::move(ipHashes_.current),
                                             std::move(idempotencyKey), epochSecondsNow());
  report.formerIpHashes = std::move(ipHashes_.former);
  switch (context_.recent.claim(report)) {
    case RecentReports::Verdict::duplicate:
      context_.metrics.countDuplicate();
      return respond(HttpResponse::json(200, R"({"duplicate":true})"));
    case RecentReports::Verdict::keyReused:
      // As payment APIs answer it: the sender reused a key by mistake, and a silent
      // "duplicate" would drop this report for good.
      return respond(reject(RejectReason::keyReused, 422,
                            "this Idempotency-Key was used before for a different report"));
    case RecentReports::Verdict::fresh:
      break;
  }
  std::string record = SpoolRecord::encode(report);
  // What release() compares, without the payload the completion need not keep.
  report.payload.clear();
  auto claimed = std::make_shared<const ReceivedReport>(std::move(report));
  try {
    // Runs on the spool's writer thread once the record is synced; it must not touch this
    // handler, which is gone by then.
    context_.spool.append(std::move(record),
                          [&context = context_, claimed, respond](std::exception_ptr failure) {
                            if (failure) {
                              context.recent.release(*claimed);
                              respond(HttpResponse::error(500, "the report could not be stored"));
                            } else {
                              context.metrics.countStored();
                              respond(HttpResponse::json(202, R"({"stored":true})"));
                            }
                          });
  } catch (const SpoolFull& e) {
    context_.recent.release(*claimed);
    auto answer = reject(RejectReason::overloaded, 503, e.what());
    answer.headers.emplace_back("Retry-After", "1");
    respond(std::move(answer));
  }
}

}  // namespace telemetry::collector
