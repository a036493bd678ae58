// The PostgreSQL store's reports table is partitioned by UTC month (docs/collector.md,
// "PostgreSQL at scale"): these are the partitions' comings and goings.
#pragma once

#include <Poco/Data/Session.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "partitions/utc_month.hpp"

namespace telemetry::collector {

/// One monthly partition per month, `reports_YYYY_MM`, and `reports_default` for reports of
/// any month without one (a far future or past received_at): no report is ever refused for
/// lack of a partition. Every call runs in the caller's transaction, which should hold the
/// store's write lock, on a PostgreSQL session whose reports table is partitioned.
class ReportPartitions {
 public:
  /// Months after the current one that get their partition ahead of time.
  static constexpr int kMonthsAhead = 2;

  explicit ReportPartitions(Poco::Data::Session& session) : session_(session) {}

  /// "reports_2026_12".
  static std::string nameOf(UtcMonth month);

  /// At start: every month with reports in the default partition (up to kMonthsAhead after
  /// `at`'s) gets a partition and its reports are moved there, in one pass over them (the
  /// migration of an unpartitioned store puts every report there); then prepareAhead.
  void arrange(std::int64_t at);
  /// The partitions of `at`'s month and of the kMonthsAhead after it, created when missing
  /// with their reports from the default partition.
  void prepareAhead(std::int64_t at);

  struct Dropped {
    std::vector<std::string> partitions;
    std::int64_t reports = 0;  // the reports they held
    std::int64_t through = 0;  // the end of the last dropped month (a UTC midnight)
  };
  /// Drops every monthly partition whose month ends at or before `before`, in one
  /// statement: no row is deleted one by one.
  Dropped dropBefore(std::int64_t before);

  /// The months that have a partition, oldest first.
  std::vector<UtcMonth> months();

 private:
  /// The months of the default partition's reports from 1970 up to `last`, each found
  /// with one index lookup.
  std::vector<UtcMonth> monthsInDefault(UtcMonth last);
  /// Creates the partition of `month`, moving its reports from the default partition.
  void createMoving(UtcMonth month);
  /// The columns of reports, in order, for statements that copy whole rows.
  std::string columns();
  std::int64_t count(const std::string& sql);

  Poco::Data::Session& session_;
};

}  // namespace telemetry::collector
