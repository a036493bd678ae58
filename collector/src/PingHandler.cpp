#include "PingHandler.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <optional>

#include "CollectorLog.hpp"
#include "ReportDocument.hpp"
#include "ResponseWriter.hpp"
#include "telemetry/http/request_body.hpp"

namespace telemetry::collector {
namespace {

constexpr std::size_t kMaxIdempotencyKey = 200;

bool isPrintable(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void PingHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response) {
  auto& metrics = context_.metrics;
  try {
    const std::string ipHash = context_.hasher.hash(context_.resolver.resolve(
        request.clientAddress().host(), request.get("X-Forwarded-For", "")));

    std::chrono::seconds retryAfter{};
    if (!context_.rateLimiter.allow(ipHash, retryAfter)) {
      metrics.countRateLimited();
      response.set("Retry-After", std::to_string(retryAfter.count()));
      response.setKeepAlive(false);
      ResponseWriter::sendError(metrics, response, 429, "too many requests");
      return;
    }
    if (!http::isJsonMediaType(request.getContentType())) {
      metrics.countReject(RejectReason::NotJson);
      response.setKeepAlive(false);
      ResponseWriter::sendError(metrics, response, 415, "Content-Type must be application/json");
      return;
    }
    const std::size_t maxBody = context_.config.maxBody;
    const std::string tooLarge = "the report is larger than " + std::to_string(maxBody) + " bytes";
    if (request.hasContentLength() &&
        request.getContentLength64() > static_cast<Poco::Int64>(maxBody)) {
      // Closing the connection is what lets us skip the body instead of draining it.
      metrics.countReject(RejectReason::TooLarge);
      response.setKeepAlive(false);
      ResponseWriter::sendError(metrics, response, 413, tooLarge);
      return;
    }
    const std::string body = http::readCappedBody(request.stream(), maxBody);
    if (body.size() > maxBody) {
      metrics.countReject(RejectReason::TooLarge);
      response.setKeepAlive(false);
      ResponseWriter::sendError(metrics, response, 413, tooLarge);
      return;
    }
    const std::string idempotencyKey = request.get("Idempotency-Key", "");
    if (idempotencyKey.size() > kMaxIdempotencyKey || !isPrintable(idempotencyKey)) {
      metrics.countReject(RejectReason::Malformed);
      ResponseWriter::sendError(metrics, response, 400,
                                "Idempotency-Key must be at most 200 printable characters");
      return;
    }

    std::optional<ReportDocument> document;
    try {
      document.emplace(body);
    } catch (const JsonSyntaxError& e) {
      metrics.countReject(RejectReason::Malformed);
      ResponseWriter::sendError(metrics, response, 400, e.what());
      return;
    }
    if (auto error = context_.validator.validate(document->root())) {
      metrics.countReject(RejectReason::Invalid);
      const std::string where = error->pointer.empty() ? "the report" : error->pointer;
      ResponseWriter::sendError(metrics, response, 400, where + " " + error->message,
                                error->pointer);
      return;
    }

    auto report =
        ReceivedReport::fromDocument(document->root(), ipHash, idempotencyKey, nowSeconds());
    std::future<StoreOutcome> outcome;
    try {
      outcome = context_.store.submit(std::move(report));
    } catch (const StoreOverloaded& e) {
      metrics.countReject(RejectReason::Overloaded);
      response.set("Retry-After", "1");
      ResponseWriter::sendError(metrics, response, 503, e.what());
      return;
    }
    if (outcome.get() == StoreOutcome::Duplicate) {
      metrics.countDuplicate();
      ResponseWriter::send(metrics, response, 200, "application/json", R"({"duplicate":true})");
    } else {
      metrics.countStored();
      ResponseWriter::send(metrics, response, 202, "application/json", R"({"stored":true})");
    }
  } catch (const std::exception& e) {
    // Messages come from the store or the socket layer, neither of which names the client.
    const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
    CollectorLog::get()->error("POST /pings failed: {}", poco ? poco->displayText() : e.what());
    if (!response.sent()) {
      ResponseWriter::sendError(metrics, response, 500, "the report could not be stored");
    }
  }
}

}  // namespace telemetry::collector
