// The duplicate checks of a whole batch (the spool's drain) in memory: what the store holds
// about the batch's reports, loaded in a few statements, and what the batch stored so far.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "report/received_report.hpp"
#include "sql/sql_runner.hpp"

namespace telemetry::collector {

/// Answers what ReportWriter's exists() and deleted() ask, for the reports it was built
/// with, as the PostgreSQL store would inside the same transaction (the claims tables, the
/// deleted installations, the reports in the dedup window).
class BatchDuplicateIndex {
 public:
  /// Loads, in the caller's transaction, what the checks of `reports` read: reports are
  /// looked at from `since` (epoch seconds) on.
  BatchDuplicateIndex(SqlRunner& runner, const std::vector<ReceivedReport>& reports,
                      std::int64_t since);

  bool deleted(const std::string& installation) const;
  /// The payload digest stored with `key`, if the key is stored.
  std::optional<std::string> keyDigest(const std::string& key) const;
  bool initialStored(const std::string& installation) const;
  /// A report of the same installation and payload from the same address (under its hash or
  /// a former hash), received at or after `since`.
  bool samePayload(const ReceivedReport& report, std::int64_t since) const;
  /// After `report` was stored in the batch.
  void add(const ReceivedReport& report);

 private:
  using Payload = std::tuple<std::string, std::string, std::string>;  // installation, digest, ip

  std::set<std::string> deleted_;
  std::map<std::string, std::string> keys_;  // idempotency key -> payload digest
  std::set<std::string> initials_;
  std::map<Payload, std::int64_t> payloads_;  // the latest received_at of each
};

}  // namespace telemetry::collector
