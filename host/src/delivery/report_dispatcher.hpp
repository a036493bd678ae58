// Sends one report and keeps the books: builds it, delivers it through the Sender, appends
// it to the audit log, records the outcome and, only after a 2xx, subtracts the delivered
// counts. Shared by the reporter thread and `telemetry send`.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include <Poco/JSON/Object.h>

#include "delivery/sender.hpp"
#include "report/report_source.hpp"
#include "state/audit_log.hpp"
#include "state/state_store.hpp"
#include "telemetry/config.hpp"

namespace telemetry {

class ReportDispatcher {
 public:
  using Deadline = std::optional<Sender::Clock::time_point>;

  /// All references must outlive the dispatcher.
  ReportDispatcher(const Config& config, StateStore& state, ReportSource& source,
                   const Sender& sender, AuditLog& audit);

  /// Delivers a report instead of the Sender: (kind, payload, Idempotency-Key).
  using Redirect = std::function<Delivery(const std::string& kind, const std::string& payload,
                                          const std::string& idempotencyKey)>;

  /// From now on reports go to `to` instead of the endpoint (`telemetry send --to FILE`),
  /// with the same books: audit log (endpoint `destination`), counts subtracted and the
  /// initial report recorded as sent when `to` says delivered.
  void redirect(Redirect to, std::string destination);

  /// The counts a full report made now would carry: what the store holds, and
  /// unique-task-workers over the past 24 h (0 with history level none).
  UsageSnapshot currentUsage();

  /// The full report as it would be sent now (probes run; nothing is sent or changed).
  Poco::JSON::Object::Ptr fullReport();

  /// Builds and sends the full report. On delivery the sent counts are subtracted. Nothing
  /// is sent (`withheld`) when telemetry is disabled by the time the probes have run, or
  /// when the store's installation id is not a UUID v4 (logged as an error).
  /// `final` is the report on stop: it reuses the last probe outcomes when there are any,
  /// else gives the probes half the time left, so the deadline holds.
  Delivery sendFull(std::stop_token stop = {}, Deadline deadline = {},
                    std::optional<int> retries = {}, bool final = false);

  /// Sends the initial report unless it was delivered before or another process is
  /// sending it right now (then nullopt).
  std::optional<Delivery> sendInitial(std::stop_token stop = {}, Deadline deadline = {},
                                      std::optional<int> retries = {});

 private:
  Delivery deliver(const std::string& kind, const Poco::JSON::Object::Ptr& report,
                   std::stop_token stop, Deadline deadline, std::optional<int> retries);

  const Config& config_;
  StateStore& state_;
  ReportSource& source_;
  const Sender& sender_;
  AuditLog& audit_;
  Redirect redirect_;
  std::string destination_;
};

}  // namespace telemetry
