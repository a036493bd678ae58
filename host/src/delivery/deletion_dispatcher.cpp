#include "delivery/deletion_dispatcher.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <stdexcept>

#include "config/logging.hpp"

namespace telemetry {
namespace {

TelemetryConfig withEndpoint(TelemetryConfig config, std::string endpoint) {
  config.endpoint = std::move(endpoint);
  return config;
}

}  // namespace

std::string deletionEndpoint(const std::string& reportEndpoint) {
  try {
    Poco::URI uri(reportEndpoint);
    std::string path = uri.getPath();
    path = path.substr(0, path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
    uri.setPath(path + "/deletions");
    uri.setQuery("");
    uri.setFragment("");
    return uri.toString();
  } catch (const Poco::Exception&) {
    throw std::invalid_argument("endpoint '" + reportEndpoint + "' is not a URL");
  }
}

DeletionDispatcher::DeletionDispatcher(const TelemetryConfig& config, StateStore& state,
                                       AuditLog& audit, SenderOptions options)
    : state_(state),
      audit_(audit),
      endpoint_(deletionEndpoint(config.endpoint)),
      sender_(withEndpoint(config, endpoint_), options) {}

DeletionRound DeletionDispatcher::sendPending(std::stop_token stop, Deadline deadline,
                                              std::optional<int> retries) {
  DeletionRound round;
  auto log = logger();
  for (const PendingDeletion& deletion : state_.pendingDeletions()) {
    ++round.pending;
    if (stop.stop_requested()) break;
    // The id is a UUID from our own store: no escaping needed, and nothing else is sent.
    const std::string payload = R"({"installation":")" + deletion.installationId + R"("})";
    log->debug("sending the deletion request of installation {} to {} (Idempotency-Key {})",
               deletion.installationId, endpoint_, deletion.idempotencyKey);
    const Delivery delivery =
        sender_.send(payload, deletion.idempotencyKey, stop, deadline, retries);
    const auto at = StateStore::Clock::now();
    try {
      audit_.append(at, "deletion", endpoint_, deletion.idempotencyKey, delivery, payload);
    } catch (const std::exception& e) {
      log->error("could not append to the audit log: {}", e.what());
    }
    if (delivery.delivered) {
      state_.finishDeletion(deletion.installationId, at, std::nullopt);
      ++round.acknowledged;
      log->info("deletion request of installation {} acknowledged by {} (HTTP {})",
                deletion.installationId, endpoint_, delivery.httpStatus);
    } else {
      state_.finishDeletion(deletion.installationId, at, delivery.error);
      round.lastError = delivery.error;
      log->warn(
          "deletion request of installation {} not delivered to {} after {} attempt(s): {}; "
          "it stays pending and is tried again",
          deletion.installationId, endpoint_, delivery.attempts, delivery.error);
    }
  }
  return round;
}

}  // namespace telemetry
