#include "dashboard/dashboard_page.hpp"

#include <sstream>

#include "dashboard/svg_bar_chart.hpp"

namespace telemetry::collector {
namespace {

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:70rem}"
    "h1{font-size:1.4rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}"
    ".card{border:1px solid #ccc;border-radius:6px;padding:.8rem 1.2rem;min-width:9rem}"
    ".card b{display:block;font-size:1.6rem}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}"
    "figure{margin:0}figcaption{font-weight:600;margin:.8rem 0 .3rem}"
    "rect{fill:#3b6ea5}text{font-size:12px;fill:#222}";

std::string card(const std::string& label, const std::string& value) {
  return "<div class=\"card\"><b>" + SvgBarChart::escapeXml(value) + "</b>" +
         SvgBarChart::escapeXml(label) + "</div>";
}

// Rounded to the nearest whole percent, halves up: 4 of 6 is 67 %, not 66 %.
std::string share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "-";
  return std::to_string((part * 200 + whole) / (2 * whole)) + " %";
}

}  // namespace

std::string DashboardPage::render(const CollectorStats& stats) {
  std::ostringstream html;
  html << "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
       << "<title>Telemetry collector</title><style>" << kStyle << "</style></head><body>"
       << "<h1>Telemetry collector</h1><div class=\"cards\">"
       << card("installations", std::to_string(stats.installations))
       << card("opted in", std::to_string(stats.optedIn))
       << card("opt-in share", share(stats.optedIn, stats.installations))
       << card("initial report only", std::to_string(stats.initialOnly))
       << card("reports stored", std::to_string(stats.reports)) << "</div><div class=\"charts\">"
       << SvgBarChart::render("Reports per day (last 30 days)", stats.reportsPerDay, 31)
       << SvgBarChart::render("Versions", stats.versions)
       << SvgBarChart::render("Editions", stats.editions)
       << SvgBarChart::render("Databases", stats.databases)
       << SvgBarChart::render("Application servers", stats.applicationServers)
       << SvgBarChart::render("JDKs", stats.jdks)
       << SvgBarChart::render("Integrations", stats.integrations)
       << SvgBarChart::render("Webapps", stats.webapps)
       << "</div><p>Figures count each installation's latest report. The same figures as JSON: "
       << "<a href=\"/api/stats\">/api/stats</a>. Offline report files: "
       << "<a href=\"/imports\">upload</a>.</p></body></html>";
  return html.str();
}

}  // namespace telemetry::collector
