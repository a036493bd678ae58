// Which sections of a full report the store keeps in a column of its own, for the dashboard
// (the whole report is kept in `payload` anyway). Section names and types are checked at
// compile time against the table generated from config/report.schema.json.
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "report/received_report.hpp"
#include "telemetry/report_section_table.hpp"

namespace telemetry::collector {

/// How a column's text is taken from its section.
enum class ColumnSource {
  vendor,            // an object's "vendor"
  vendorAndVersion,  // an object's "vendor" and "version", space-separated
  list,              // an array's items as a ListColumn
};

/// One column of the reports table filled from a section under product.internals.
struct SectionColumn {
  std::string_view section;
  ColumnSource source;
  std::string ReceivedReport::*field;
};

inline constexpr std::array<SectionColumn, 5> kSectionColumns = {{
    {"database", ColumnSource::vendor, &ReceivedReport::databaseVendor},
    {"application-server", ColumnSource::vendor, &ReceivedReport::applicationServerVendor},
    {"jdk", ColumnSource::vendorAndVersion, &ReceivedReport::jdk},
    {"camunda-integration", ColumnSource::list, &ReceivedReport::integrations},
    {"webapps", ColumnSource::list, &ReceivedReport::webapps},
}};

/// Whether the schema has `column.section` with the type its source reads.
constexpr bool readsASectionOfTheSchema(const SectionColumn& column) {
  const auto wanted = column.source == ColumnSource::list ? report_schema::SectionType::array
                                                          : report_schema::SectionType::object;
  return std::any_of(report_schema::kSections.begin(), report_schema::kSections.end(),
                     [&](const report_schema::Section& section) {
                       return section.name == column.section && section.type == wanted;
                     });
}

static_assert(std::all_of(kSectionColumns.begin(), kSectionColumns.end(), readsASectionOfTheSchema),
              "a column names a section that config/report.schema.json lacks or types otherwise");

}  // namespace telemetry::collector
