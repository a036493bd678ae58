// The report's sections as config/report.schema.json defines them (the table generated from
// it at build time), looked up the way the report builder and the plugin catalog need them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string_view>

#include "telemetry/report_section_table.hpp"
#include "telemetry/usage_snapshot.hpp"

namespace telemetry {

using report_schema::SectionType;

/// The schema's section `name` (the first token of a pointer below product.internals), or
/// nullptr for a section the schema does not name (a vendor plugin's).
constexpr const report_schema::Section* specSection(std::string_view name) {
  const auto* it = std::find_if(report_schema::kSections.begin(), report_schema::kSections.end(),
                                [&](const report_schema::Section& s) { return s.name == name; });
  return it == report_schema::kSections.end() ? nullptr : it;
}

/// Where section `name` goes in product.internals: the schema's order, vendor sections after.
constexpr std::size_t sectionRank(std::string_view name) {
  const auto* section = specSection(name);
  return section == nullptr ? report_schema::kSections.size()
                            : static_cast<std::size_t>(section - report_schema::kSections.begin());
}

/// Whether the host fills `name` itself (the schema requires it), so no plugin may claim it.
constexpr bool isHostSection(std::string_view name) {
  return std::find(report_schema::kHostSections.begin(), report_schema::kHostSections.end(),
                   name) != report_schema::kHostSections.end();
}

/// The type with its article, as messages name it: "an object", "a string".
constexpr std::string_view typeWithArticle(SectionType type) {
  switch (type) {
    case SectionType::object:
      return "an object";
    case SectionType::array:
      return "an array";
    case SectionType::string:
      return "a string";
    case SectionType::boolean:
      return "a boolean";
    case SectionType::integer:
      return "an integer";
    case SectionType::number:
      return "a number";
    case SectionType::any:
      break;
  }
  return "any value";
}

// The usage registry counts the metrics in kMetricNames' order; the report lists them so.
static_assert(std::equal(kMetricNames.begin(), kMetricNames.end(),
                         report_schema::kMetricNames.begin(), report_schema::kMetricNames.end()),
              "kMetricNames (usage_snapshot.hpp) must be the schema's metrics, in its order");

}  // namespace telemetry
