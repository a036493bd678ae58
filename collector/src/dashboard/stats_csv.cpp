#include "dashboard/stats_csv.hpp"

namespace telemetry::collector {
namespace {

void addRow(std::string& csv, std::string_view figure, std::string_view period,
            std::string_view name, std::int64_t value) {
  csv += StatsCsv::cell(figure) + ',' + StatsCsv::cell(period) + ',' + StatsCsv::cell(name) + ',' +
         std::to_string(value) + "\r\n";
}

void addRows(std::string& csv, std::string_view figure,
             const CollectorStats::Distribution& values) {
  for (const auto& [name, count] : values) addRow(csv, figure, "", name, count);
}

void addRows(std::string& csv, std::string_view figure, const TimeSeries& series) {
  for (const auto& [name, values] : series.lines) {
    for (std::size_t i = 0; i < series.periods.size() && i < values.size(); ++i) {
      addRow(csv, figure, series.periods[i], name, values[i]);
    }
  }
}

}  // namespace

std::string StatsCsv::cell(std::string_view text) {
  std::string value;
  if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r')) {
    value = "'";
  }
  value += text;
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string StatsCsv::render(const CollectorStats& stats) {
  std::string csv = "figure,period,name,value\r\n";
  addRow(csv, "installations", "", "total", stats.installations);
  addRow(csv, "installations", "", "opted-in", stats.optedIn);
  addRow(csv, "installations", "", "initial-only", stats.initialOnly);
  addRow(csv, "reports", "", "stored", stats.reports);
  addRows(csv, "versions", stats.versions);
  addRows(csv, "editions", stats.editions);
  addRows(csv, "databases", stats.databases);
  addRows(csv, "application-servers", stats.applicationServers);
  addRows(csv, "jdks", stats.jdks);
  addRows(csv, "integrations", stats.integrations);
  addRows(csv, "webapps", stats.webapps);
  for (const auto& [day, count] : stats.reportsPerDay) {
    addRow(csv, "reports-per-day", day, "", count);
  }
  addRows(csv, "active", stats.trends.active);
  addRows(csv, "active-by-version", stats.trends.activeByVersion);
  addRows(csv, "active-by-database", stats.trends.activeByDatabase);
  addRows(csv, "new-per-week", stats.trends.newPerWeek);
  addRows(csv, "opted-in", stats.trends.optedIn);
  return csv;
}

}  // namespace telemetry::collector
