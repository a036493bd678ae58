// What the collector's tests share: reading the fixture reports, and parsing JSON the way
// the collector does.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "report/report_document.hpp"

namespace telemetry::collector::test {

/// Seconds in a UTC day, as the summaries and partitions count days.
inline constexpr std::int64_t kDay = 86400;

/// The whole file, "" if it cannot be read.
inline std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A file of collector/tests/fixtures.
inline std::string fixture(const std::string& name) {
  return readFile(std::filesystem::path(TELEMETRY_COLLECTOR_FIXTURES) / name);
}

/// `text` parsed as the collector parses reports; throws JsonSyntaxError.
inline ReportDocument parse(const std::string& text) { return ReportDocument(text); }

/// Every table of the collector's store (a partitioned table takes its partitions along), for
/// the tests that reset a shared PostgreSQL store with DROP TABLE IF EXISTS.
inline constexpr const char* kStoreTables =
    "reports, report_keys, initial_reports, store_health, deleted_installations, installations, "
    "current_counts, daily_activity, daily_counts, daily_reports, current_totals, daily_totals, "
    "daily_report_totals, schema_migrations";

}  // namespace telemetry::collector::test
