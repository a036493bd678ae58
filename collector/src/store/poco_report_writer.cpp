#include "store/poco_report_writer.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <chrono>

#include "partitions/report_partitions.hpp"
#include "store/report_queries.hpp"

namespace telemetry::collector {

using namespace Poco::Data::Keywords;

namespace {

// A report's row in the columns of ReportQueries::kInsert and BatchQueries::kCopyReports.
SqlRow reportRow(const ReceivedReport& report) {
  return {report.receivedAt,
          report.installation,
          std::string(report.initial ? "initial" : "full"),
          report.ipHash,
          report.payloadDigest,
          report.idempotencyKey,
          report.productVersion,
          report.edition,
          std::int64_t{report.telemetryEnabled ? 1 : 0},
          report.databaseVendor,
          report.applicationServerVendor,
          report.jdk,
          report.integrations,
          report.webapps,
          report.payload};
}

// Its claims: of its idempotency key, of being the installation's initial report.
SqlRow keyRow(const ReceivedReport& report) {
  return {report.idempotencyKey, report.payloadDigest, report.installation, report.receivedAt};
}
SqlRow initialRow(const ReceivedReport& report) { return {report.installation, report.receivedAt}; }

}  // namespace

PocoReportWriter::PocoReportWriter(Poco::Data::Session& session, const storage::SqlDialect& dialect)
    : session_(session), dialect_(dialect), runner_(session, dialect) {
  if (dialect_.isPostgres()) copy_.emplace(session_);
}

void PocoReportWriter::begin() { transaction_.emplace(session_, dialect_); }

void PocoReportWriter::commit() {
  if (batch_) insertHeld();
  transaction_->commit();
  transaction_.reset();
}

// WriteTransaction's destructor rolls back what was not committed, partitions created in it
// included: they are looked for again.
void PocoReportWriter::rollback() noexcept {
  forgetBatch();
  transaction_.reset();
  preparedMonth_.reset();
}

void PocoReportWriter::expect(const std::vector<ReceivedReport>& reports, std::int64_t since) {
  // SQLite (`forget`) answers in-process: nothing to save there.
  if (!dialect_.isPostgres()) return;
  forgetBatch();
  batch_.emplace(runner_, reports, since);
}

void PocoReportWriter::forgetBatch() noexcept {
  batch_.reset();
  heldReports_.clear();
  heldKeys_.clear();
  heldInitials_.clear();
}

void PocoReportWriter::insertHeld() {
  if (!heldReports_.empty()) {
    preparePartitions();
    copy_->copy(BatchQueries::kCopyReports, heldReports_);
  }
  // The claims' primary keys refuse what another collector stored meanwhile: the whole
  // transaction fails and its retry sees the duplicate.
  if (!heldKeys_.empty()) copy_->copy(BatchQueries::kCopyKeys, heldKeys_);
  if (!heldInitials_.empty()) copy_->copy(BatchQueries::kCopyInitials, heldInitials_);
  forgetBatch();
}

bool PocoReportWriter::exists(DuplicateRule rule, const ReceivedReport& report,
                              std::int64_t since) {
  if (batch_) {
    const auto& key = report.idempotencyKey;
    if (rule == DuplicateRule::sameIdempotencyKey) return batch_->keyDigest(key).has_value();
    if (rule == DuplicateRule::sameIdempotencyKeyAndPayload)
      return batch_->keyDigest(key) == report.payloadDigest;
    if (rule == DuplicateRule::initialAlreadyStored)
      return batch_->initialStored(report.installation);
    return batch_->samePayload(report, since);
  }
  // Poco binds by reference to non-const values.
  std::string installation = report.installation;
  std::string key = report.idempotencyKey;
  std::string digest = report.payloadDigest;
  std::string ipHash = report.ipHash;
  auto from = static_cast<Poco::Int64>(since);
  Poco::Data::Statement select(session_);
  const bool claims = dialect_.isPostgres();
  if (rule == DuplicateRule::sameIdempotencyKey) {
    select << dialect_.sql(claims ? ClaimQueries::kSameIdempotencyKey
                                  : ReportQueries::kSameIdempotencyKey),
        use(key);
  } else if (rule == DuplicateRule::sameIdempotencyKeyAndPayload) {
    select << dialect_.sql(claims ? ClaimQueries::kSameIdempotencyKeyAndPayload
                                  : ReportQueries::kSameIdempotencyKeyAndPayload),
        use(key), use(digest);
  } else if (rule == DuplicateRule::initialAlreadyStored) {
    select << dialect_.sql(claims ? ClaimQueries::kInitialAlreadyStored
                                  : ReportQueries::kInitialAlreadyStored),
        use(installation);
  } else {
    // The sender's address under the current key, then under each replaced key still kept.
    for (std::size_t i = 0; i <= report.formerIpHashes.size(); ++i) {
      if (i > 0) ipHash = report.formerIpHashes[i - 1];
      Poco::Data::Statement same(session_);
      same << dialect_.sql(ReportQueries::kSamePayloadInWindow), use(installation), use(digest),
          use(ipHash), use(from);
      same.execute();
      if (Poco::Data::RecordSet(same).rowCount() > 0) return true;
    }
    return false;
  }
  select.execute();
  Poco::Data::RecordSet result(select);
  return result.rowCount() > 0;
}

void PocoReportWriter::preparePartitions() {
  const auto current = UtcMonth::of(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
  // Once a month per writer: the next months' partitions are there before their reports.
  if (preparedMonth_ == current) return;
  ReportPartitions(session_).prepareAhead(current.start());
  preparedMonth_ = current;
}

void PocoReportWriter::insert(const ReceivedReport& report) {
  if (batch_) {
    heldReports_.push_back(reportRow(report));
    if (!report.idempotencyKey.empty()) heldKeys_.push_back(keyRow(report));
    if (report.initial) heldInitials_.push_back(initialRow(report));
    batch_->add(report);
    return;
  }
  if (dialect_.isPostgres()) preparePartitions();
  runner_.execute(ReportQueries::kInsert, reportRow(report));
  if (!dialect_.isPostgres()) return;
  // The claims' primary keys refuse what another collector stored meanwhile: the whole
  // transaction fails and its retry sees the duplicate.
  if (!report.idempotencyKey.empty()) runner_.execute(ClaimQueries::kClaimKey, keyRow(report));
  if (report.initial) runner_.execute(ClaimQueries::kClaimInitial, initialRow(report));
}

void PocoReportWriter::markChecked(std::int64_t at) {
  auto when = static_cast<Poco::Int64>(at);
  session_ << dialect_.sql(ReportQueries::kMarkChecked), use(when), now;
}

bool PocoReportWriter::deleted(const std::string& installation) {
  if (batch_) return batch_->deleted(installation);
  std::string id = installation;
  Poco::Data::Statement select(session_);
  select << dialect_.sql(ReportQueries::kInstallationDeleted), use(id);
  select.execute();
  Poco::Data::RecordSet result(select);
  return result.rowCount() > 0;
}

std::int64_t PocoReportWriter::erase(const std::string& installation, std::int64_t at) {
  std::string id = installation;
  auto when = static_cast<Poco::Int64>(at);
  Poco::Data::Statement remove(session_);
  remove << dialect_.sql(ReportQueries::kDeleteReportsOf), use(id);
  const auto erased = static_cast<std::int64_t>(remove.execute());
  if (dialect_.isPostgres()) {
    session_ << dialect_.sql(ClaimQueries::kReleaseKeysOf), use(id), now;
    session_ << dialect_.sql(ClaimQueries::kReleaseInitialOf), use(id), now;
  }
  session_ << dialect_.sql(ReportQueries::kRecordDeletion), use(id), use(when), now;
  return erased;
}

}  // namespace telemetry::collector
