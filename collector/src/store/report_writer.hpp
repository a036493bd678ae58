// The statements the store's writer thread runs inside its transaction, per backend.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/received_report.hpp"

namespace telemetry::collector {

/// Used by one thread at a time; exists, insert and markChecked run between begin and
/// commit (or rollback).
class ReportWriter {
 public:
  enum class DuplicateRule {
    sameIdempotencyKey,
    sameIdempotencyKeyAndPayload,
    initialAlreadyStored,
    samePayloadInWindow
  };

  virtual ~ReportWriter() = default;
  /// Opens a transaction holding the store's write lock from its first statement, so that
  /// check-then-insert is atomic across collectors sharing the store.
  virtual void begin() = 0;
  virtual void commit() = 0;
  /// Ends the open transaction, if any, without its changes; never throws.
  virtual void rollback() noexcept = 0;
  /// Told, after begin(), every report the transaction will check and insert, reports
  /// looked at from `since` on: a writer may load what their checks read at once and hold
  /// their inserts until commit(). By default it does nothing.
  virtual void expect(const std::vector<ReceivedReport>& /*reports*/, std::int64_t /*since*/) {}
  /// True when a stored report makes `report` a duplicate under `rule`; SamePayloadInWindow
  /// looks at reports received at or after `since`.
  virtual bool exists(DuplicateRule rule, const ReceivedReport& report, std::int64_t since) = 0;
  virtual void insert(const ReceivedReport& report) = 0;
  /// The health probe's write.
  virtual void markChecked(std::int64_t at) = 0;
  /// True when `installation` was deleted on request: its reports are no longer stored.
  virtual bool deleted(const std::string& installation) = 0;
  /// Deletes every report of `installation` and records it as deleted at `at` (kept if it
  /// was recorded before); returns how many reports went.
  virtual std::int64_t erase(const std::string& installation, std::int64_t at) = 0;
};

}  // namespace telemetry::collector
