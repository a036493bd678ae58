// Sends the pending deletion requests (`telemetry disable --delete`) to the collector's
// POST /deletions and keeps the books: audit log line per try, the request removed from
// the state store only once acknowledged (2xx), so it is retried across restarts.
#pragma once

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>

#include "delivery/sender.hpp"
#include "state/audit_log.hpp"
#include "state/state_store.hpp"
#include "telemetry/config.hpp"

namespace telemetry {

/// The deletions URL beside the reports' endpoint: its last path segment replaced by
/// "deletions" (https://host/pings -> https://host/deletions), query and fragment dropped.
/// Throws std::invalid_argument for an endpoint that is not a URL.
std::string deletionEndpoint(const std::string& reportEndpoint);

/// What one round of sending came to.
struct DeletionRound {
  int pending = 0;        ///< requests found pending at the start
  int acknowledged = 0;   ///< of these, acknowledged by the collector and removed
  std::string lastError;  ///< why the last one not acknowledged failed
};

class DeletionDispatcher {
 public:
  using Deadline = std::optional<Sender::Clock::time_point>;

  /// All references must outlive the dispatcher. Throws std::invalid_argument as Sender does.
  DeletionDispatcher(const TelemetryConfig& config, StateStore& state, AuditLog& audit,
                     SenderOptions options = {});

  /// Sends every pending deletion request once (with the configured retries). The caller
  /// checks sendingForbidden() first: this only sends. Never throws for a failed delivery.
  DeletionRound sendPending(std::stop_token stop = {}, Deadline deadline = {},
                            std::optional<int> retries = {});

  const std::string& endpoint() const { return endpoint_; }

 private:
  StateStore& state_;
  AuditLog& audit_;
  std::string endpoint_;
  Sender sender_;
};

}  // namespace telemetry
