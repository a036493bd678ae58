// Everything the host must remember between runs, in an SQLite file or a PostgreSQL
// database shared by several nodes: installation id, opt-in switch, initial report,
// license key, last send, usage counts not yet delivered and task-worker sightings.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "telemetry/host_options.hpp"
#include "telemetry/license_key_source.hpp"
#include "telemetry/send_record.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/usage_snapshot.hpp"

namespace telemetry {

/// A deletion request (`telemetry disable --delete`) not yet acknowledged by the collector.
struct PendingDeletion {
  std::string installationId;  ///< the id whose reports are to be deleted (no longer ours)
  std::string idempotencyKey;  ///< the same on every try, across restarts
  std::chrono::system_clock::time_point requestedAt;
  std::optional<std::chrono::system_clock::time_point> lastTry;
  std::string lastError;  ///< why the last try failed; empty before the first
};

class StateStore {
 public:
  using Clock = std::chrono::system_clock;
  using TimePoint = Clock::time_point;

  /// Opens `location` (an SQLite file path or a postgresql:// URL), migrates its schema and
  /// creates the installation on first use. `initialOptIn` is the opt-in flag written only
  /// then (the spec's initializeTelemetry; unset: nobody decided yet). A new SQLite file is
  /// created 0600. Throws StateStoreError, naming the file and what to do, when an SQLite
  /// store is a directory, empty, not SQLite, damaged or not writable (never starting over on
  /// it), other exceptions when the store can't be reached.
  /// `exactTaskWorkers`: distinct workers per 24 h kept one by one; more are estimated.
  StateStore(const std::string& location, std::optional<bool> initialOptIn,
             int exactTaskWorkers = 100000, StoreOpening opening = StoreOpening::createIfMissing);
  ~StateStore();
  StateStore(const StateStore&) = delete;
  StateStore& operator=(const StateStore&) = delete;

  /// The location with any password hidden, for status and logs.
  const std::string& location() const { return location_; }

  /// True when no store existed at location() and, as asked (inMemoryIfMissing), this new
  /// one lives in memory only: its installation id is made up and nothing is kept.
  bool inMemory() const { return inMemory_; }

  /// The random UUID v4 created with the store; only a deletion request replaces it.
  std::string installationId();

  /// True only when someone enabled telemetry; false while undecided.
  bool telemetryEnabled();
  /// The opt-in decision: unset until `initialize` or someone (CLI, REST, C API) decided.
  std::optional<bool> optIn();
  /// The opt-in switch, a decision. Switching off also forgets the counts not yet delivered.
  /// Each opt-out also bumps optInSwitch().optOuts.
  void setTelemetryEnabled(bool enabled);
  /// The switch and how many opt-outs the store has seen, read together: a process that
  /// counts in memory learns of another process's opt-out even after a quick re-enable.
  struct OptInSwitch {
    bool enabled = false;
    std::int64_t optOuts = 0;
  };
  OptInSwitch optInSwitch();

  /// When the initial report was delivered, if ever.
  std::optional<TimePoint> initialReportSentAt();
  /// True when the caller should send the initial report now: it was never delivered and
  /// no other process claimed it less than `claimTtl` ago. Atomic across nodes.
  bool claimInitialReport(TimePoint now, std::chrono::milliseconds claimTtl);
  /// Ends a claim: delivered at `at`, or released for a later attempt.
  void finishInitialReport(std::optional<TimePoint> deliveredAt);
  /// True when the initial report is no longer owed: delivered, or waived because a
  /// deletion was requested before it went out.
  bool initialReportSettled();

  /// `disable --delete`, in one transaction: disables telemetry as setTelemetryEnabled(false)
  /// does and also forgets the task-worker sightings, queues a deletion request for the
  /// current installation id and replaces it with a new random one. If the initial report
  /// was never delivered it is waived: the new id sends none. Returns the old id.
  std::string requestDeletion(TimePoint at);
  /// Oldest first.
  std::vector<PendingDeletion> pendingDeletions();
  /// After a try: acknowledged (no error) removes the request, else the error is recorded.
  void finishDeletion(const std::string& installationId, TimePoint at,
                      const std::optional<std::string>& error);

  /// The license key as stored (without its signature), with where it was set, if any.
  std::optional<StoredLicenseKey> licenseKey();
  /// Stores `key` without its signature (LicenseKey::withoutSignature). The same key set
  /// again keeps the admin web application as its source; returns the source stored.
  LicenseKeySource setLicenseKey(const std::string& key, LicenseKeySource source);
  void clearLicenseKey();

  void recordSend(const SendRecord& record);
  /// The last attempt, if any report was ever attempted.
  std::optional<SendRecord> lastSend();
  /// The last delivered full report: the reporting period counts from here.
  std::optional<TimePoint> lastFullReportDelivered();
  /// When the running reporter plans its next full report (nullopt: none runs, or it is
  /// disabled). The reporter writes it; `telemetry status` reads it.
  void planFullReport(std::optional<TimePoint> at);
  std::optional<TimePoint> plannedFullReport();

  /// Adds counts (commands and the four counted metrics; unique-task-workers is ignored)
  /// and task-worker sightings, in one transaction. With `unlessOptOutsSince`, stores
  /// nothing and returns false when the store's opt-out count is no longer that value.
  bool addUsage(const UsageSnapshot& counts, const std::vector<std::string>& workers,
                TimePoint seenAt, std::optional<std::int64_t> unlessOptOutsSince = std::nullopt);
  /// The counts not yet delivered.
  UsageSnapshot pendingUsage();
  /// Removes delivered counts; increments added since the snapshot stay.
  void subtractUsage(const UsageSnapshot& delivered);
  /// Forgets every count not yet delivered (on opt-out: they were never allowed out).
  void clearPendingUsage();
  /// Distinct workers seen in the 24 hours before `now`; older sightings are forgotten.
  /// Exact while at most `exactTaskWorkers` were seen in that window; beyond, an estimate
  /// (HyperLogLog, about 0.8 %) over hourly sketches, so the window is then 24-25 hours.
  std::uint64_t uniqueTaskWorkers(TimePoint now);

 private:
  template <typename T>
  T column(const std::string& name);
  template <typename T>
  void setColumn(const std::string& name, T value);

  void addWorkers(const std::vector<std::string>& workers, TimePoint seenAt);

  std::mutex mutex_;  // one Poco session is not safe for concurrent use
  int exactTaskWorkers_;
  bool inMemory_;
  storage::Database db_;
  std::string location_;
};

}  // namespace telemetry
