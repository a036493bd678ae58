#include "store/batch_duplicate_index.hpp"

#include <algorithm>

#include "store/report_queries.hpp"

namespace telemetry::collector {

BatchDuplicateIndex::BatchDuplicateIndex(SqlRunner& runner,
                                         const std::vector<ReceivedReport>& reports,
                                         std::int64_t since) {
  std::set<std::string> installations, keys, initials, keyless;
  for (const auto& report : reports) {
    installations.insert(report.installation);
    if (!report.idempotencyKey.empty()) keys.insert(report.idempotencyKey);
    if (report.initial) initials.insert(report.installation);
    if (report.idempotencyKey.empty()) keyless.insert(report.installation);
  }
  if (!installations.empty()) {
    for (const auto& row :
         runner.queryEach(BatchQueries::kDeletedAmong, {}, SqlRunner::rowsOf(installations)))
      deleted_.insert(SqlRunner::text(row[0]));
  }
  if (!keys.empty()) {
    for (const auto& row : runner.queryEach(BatchQueries::kKeysAmong, {}, SqlRunner::rowsOf(keys)))
      keys_[SqlRunner::text(row[0])] = SqlRunner::text(row[1]);
  }
  if (!initials.empty()) {
    for (const auto& row :
         runner.queryEach(BatchQueries::kInitialsAmong, {}, SqlRunner::rowsOf(initials)))
      initials_.insert(SqlRunner::text(row[0]));
  }
  // Only reports without a key are checked by payload (ReportStore::write).
  if (!keyless.empty()) {
    for (const auto& row :
         runner.queryEach(BatchQueries::kPayloadsAmong, {since}, SqlRunner::rowsOf(keyless))) {
      auto& latest =
          payloads_[{SqlRunner::text(row[0]), SqlRunner::text(row[1]), SqlRunner::text(row[2])}];
      latest = std::max(latest, SqlRunner::integer(row[3]));
    }
  }
}

bool BatchDuplicateIndex::deleted(const std::string& installation) const {
  return deleted_.contains(installation);
}

std::optional<std::string> BatchDuplicateIndex::keyDigest(const std::string& key) const {
  const auto found = keys_.find(key);
  if (found == keys_.end()) return std::nullopt;
  return found->second;
}

bool BatchDuplicateIndex::initialStored(const std::string& installation) const {
  return initials_.contains(installation);
}

bool BatchDuplicateIndex::samePayload(const ReceivedReport& report, std::int64_t since) const {
  auto seen = [&](const std::string& ipHash) {
    const auto found = payloads_.find({report.installation, report.payloadDigest, ipHash});
    return found != payloads_.end() && found->second >= since;
  };
  return seen(report.ipHash) ||
         std::any_of(report.formerIpHashes.begin(), report.formerIpHashes.end(), seen);
}

void BatchDuplicateIndex::add(const ReceivedReport& report) {
  // As the claims' primary keys: a key or an initial report is claimed once.
  if (!report.idempotencyKey.empty()) keys_.emplace(report.idempotencyKey, report.payloadDigest);
  if (report.initial) initials_.insert(report.installation);
  auto& latest = payloads_[{report.installation, report.payloadDigest, report.ipHash}];
  latest = std::max(latest, report.receivedAt);
}

}  // namespace telemetry::collector
