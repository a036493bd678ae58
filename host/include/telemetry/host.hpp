// The embedding API: what a product links to run telemetry in its own process. It owns
// the state store, the plugins, the sender and the reporter thread; nothing it does
// throws into the product's threads once started.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "telemetry/config.hpp"
#include "telemetry/host_options.hpp"
#include "telemetry/license_key_source.hpp"
#include "telemetry/send_record.hpp"
#include "telemetry/usage_registry.hpp"

namespace telemetry {

class AuditLog;
class DeletionDispatcher;
class ReportDispatcher;
class ReportSource;
class Reporter;
class Sender;
class StateStore;
class StatsdListener;

/// The spec's legal note, shown before telemetry is enabled (CLI, log, admin page).
inline constexpr std::string_view kLegalNote =
    "Before you enable telemetry, make sure that you are authorized to take this step and "
    "that it is not in conflict with any company-internal policies, compliance guidelines, "
    "or contractual or other obligations of your company.";

/// What `status` shows.
struct HostStatus {
  std::string installationId;
  /// Why the installation id is not valid (nothing is sent then), if it is not.
  std::optional<std::string> installationProblem;
  bool enabled = false;
  std::optional<bool> optIn;             ///< unset until someone decided
  bool reporterActivate = false;         ///< the configuration's reporter-activate
  bool reporterActive = false;           ///< the reporter thread runs
  std::optional<std::string> forbidden;  ///< why nothing may be sent, if so
  std::optional<std::chrono::system_clock::time_point> initialReportSent;
  /// Never sent because a deletion was requested before it went out (disable --delete).
  bool initialReportWaived = false;
  std::optional<SendRecord> lastSend;
  std::optional<std::chrono::system_clock::time_point> nextSend;
  std::string endpoint;
  std::string stateLocation;
  std::string auditLog;
  bool licenseKeyStored = false;
  /// Old installation ids whose deletion request the collector has not acknowledged yet.
  std::vector<std::string> pendingDeletions;
};

/// What one round of sending the pending deletion requests came to.
struct DeletionOutcome {
  int pending = 0;       ///< requests pending before the round
  int acknowledged = 0;  ///< of these, acknowledged by the collector (then forgotten here)
  std::string error;     ///< why the last unacknowledged one failed
  /// Why nothing was sent (reporter-activate false, DO_NOT_TRACK); they stay pending.
  std::optional<std::string> forbidden;
};

class Host {
 public:
  /// Opens the state store and loads the plugins. Throws (ConfigError, std::exception)
  /// when the store can't be opened or the endpoint is unusable.
  explicit Host(Config config, HostOptions options = {});
  /// Calls stop().
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  /// Starts the reporter thread and, when usage.statsd-listen is set, the StatsD listener,
  /// unless reporter-activate is false or DO_NOT_TRACK is set: then no thread starts and no
  /// request is ever made. Logs the first-run notice. A listener that can't bind is logged
  /// as an error and left out; the reporter runs anyway.
  void start();
  /// Stops the StatsD listener, sends the final report if enabled and joins the thread,
  /// within request-timeout plus about a second. Safe to call twice; never throws.
  void stop() noexcept;
  /// For `telemetry run` hibernating: if the reporter sleeps with nothing but checkpoints
  /// due for at least `minIdle` and no StatsD listener runs, stops it without a final
  /// report, checkpoints and returns its schedule, which a later start() continues.
  /// Otherwise changes nothing and returns nullopt.
  std::optional<ReporterSchedule> suspend(std::chrono::milliseconds minIdle);

  /// Until the initial report was delivered: logs (info) what is sent, given the opt-in
  /// switch, and how to send nothing. start() calls it; so does `telemetry send`.
  void logFirstRunNotice();

  /// The opt-in switch (the spec's toggleTelemetry). Disabling drops counts not yet sent.
  void toggle(bool enabled);
  bool isEnabled();
  /// Deletion on request (`telemetry disable --delete`): disables telemetry as
  /// toggle(false) does, queues a deletion request for this installation's id (kept in the
  /// state store until the collector acknowledges it) and gives the installation a new id.
  /// The running reporter sends it at once, also while disabled; without one, call
  /// sendPendingDeletions(). Returns the old id.
  std::string requestDeletion();
  /// Sends every pending deletion request now, unless sending is forbidden. Never throws
  /// for a failed delivery; they stay pending.
  DeletionOutcome sendPendingDeletions();
  /// The decision behind isEnabled(): unset until `initialize` or someone decided.
  std::optional<bool> optIn();

  /// Stores the key; the report carries it structured only for LicenseKeySource::adminWebapp,
  /// as the spec says, and as raw text otherwise.
  void setLicenseKey(const std::string& raw, LicenseKeySource source);
  void clearLicenseKey();

  /// The full report as it would be sent now, as pretty JSON. Sends nothing.
  std::string report();

  HostStatus status();

  /// Where the product counts commands, metrics and task workers; lock-free on the hot
  /// path. Counts reach the store at each checkpoint and go out with the next report. While
  /// telemetry is disabled (by toggle(), or in the store as of the last checkpoint) counts
  /// are dropped as they are made.
  UsageRegistry& usage() { return usage_; }

  /// Moves in-memory usage counts into the store (the reporter does this every minute and
  /// before each report). While telemetry is disabled they are dropped, as the spec says.
  void checkpoint();

  /// The running StatsD listener; null when none is configured or it did not start.
  const StatsdListener* statsdListener() const { return statsd_.get(); }

  StateStore& state() { return *state_; }
  ReportDispatcher& dispatcher() { return *dispatcher_; }
  /// The probes and plugins behind the report (`telemetry explain` reads their catalog).
  ReportSource& source() { return *source_; }
  const Config& config() const { return config_; }

 private:
  void startStatsdListener();

  Config config_;
  HostOptions options_;
  UsageRegistry usage_;
  std::unique_ptr<StateStore> state_;
  std::unique_ptr<ReportSource> source_;
  std::unique_ptr<Sender> sender_;
  std::unique_ptr<AuditLog> audit_;
  std::unique_ptr<ReportDispatcher> dispatcher_;
  std::unique_ptr<DeletionDispatcher> deletions_;
  std::unique_ptr<Reporter> reporter_;
  /// One checkpoint or toggle at a time, so each compares the opt-outs it saw with its own.
  std::mutex checkpointMutex_;
  /// The store's opt-out count at the last checkpoint: a change means counts made since
  /// may have been made while disabled.
  std::int64_t seenOptOuts_ = 0;
  std::unique_ptr<StatsdListener> statsd_;  ///< counts into usage_: declared last, ends first
};

}  // namespace telemetry
