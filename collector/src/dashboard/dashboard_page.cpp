#include "dashboard/dashboard_page.hpp"

#include <sstream>

#include "dashboard/stats_query.hpp"
#include "dashboard/svg_bar_chart.hpp"
#include "dashboard/svg_line_chart.hpp"

namespace telemetry::collector {
namespace {

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:1rem;color:#222;max-width:72rem}"
    "h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:1.6rem}"
    ".cards{display:flex;gap:1rem;flex-wrap:wrap}"
    ".card{border:1px solid #ccc;border-radius:6px;padding:.6rem 1rem;min-width:7rem}"
    ".card b{display:block;font-size:1.6rem}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,30rem),1fr));"
    "gap:1.5rem}"
    "figure{margin:0;min-width:0}figcaption{font-weight:600;margin:.8rem 0 .3rem}"
    "svg{display:block;max-width:100%;height:auto}.bars rect{fill:#3b6ea5}"
    "text{font-size:13px;fill:#222}.legend{list-style:none;padding:0;margin:.3rem 0;"
    "display:flex;flex-wrap:wrap;gap:.2rem 1rem}.legend li{display:flex;align-items:center;"
    "gap:.3rem;overflow-wrap:anywhere;min-width:0}.legend svg{flex:none}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:.85rem}"
    "th,td{padding:.1rem .5rem;text-align:right;white-space:nowrap}"
    "form{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:end}"
    "label{display:flex;flex-direction:column;font-size:.9rem;min-width:0;max-width:100%}"
    "select,input,button{font:inherit;max-width:100%}.error{color:#a00}"
    "p{overflow-wrap:anywhere}";

constexpr std::size_t kMaxOptions = 100;

std::string escape(std::string_view text) { return SvgBarChart::escapeXml(text); }

std::string head(std::string_view title) {
  return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
         escape(title) + "</title><style>" + kStyle + "</style></head><body>";
}

std::string card(const std::string& id, const std::string& label, const std::string& value) {
  return "<div class=\"card\" id=\"" + id + "\"><b>" + escape(value) + "</b>" + escape(label) +
         "</div>";
}

// Rounded to the nearest whole percent, halves up: 4 of 6 is 67 %, not 66 %.
std::int64_t percent(std::int64_t part, std::int64_t whole) {
  return (part * 200 + whole) / (2 * whole);
}

std::string share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "-";
  return std::to_string(percent(part, whole)) + " %";
}

// The choices of a filter: "all", the largest values seen, and the chosen one (which a
// filtered distribution may no longer hold in full).
std::string select(std::string_view name, std::string_view label, std::string_view all,
                   const CollectorStats::Distribution& values, const std::string& chosen) {
  std::ostringstream html;
  html << "<label>" << escape(label) << "<select name=\"" << name << "\"><option value=\"\">"
       << escape(all) << "</option>";
  bool chosenListed = chosen.empty();
  std::size_t listed = 0;
  for (const auto& [value, count] : values) {
    if (listed++ == kMaxOptions) break;
    const bool isChosen = value == chosen;
    chosenListed = chosenListed || isChosen;
    html << "<option value=\"" << escape(value) << "\"" << (isChosen ? " selected" : "") << ">"
         << escape(value) << " (" << count << ")</option>";
  }
  if (!chosenListed) {
    html << "<option value=\"" << escape(chosen) << "\" selected>" << escape(chosen) << "</option>";
  }
  html << "</select></label>";
  return html.str();
}

std::string dayInput(std::string_view name, std::string_view label,
                     const std::optional<std::int64_t>& day) {
  return "<label>" + std::string(label) + "<input type=\"date\" name=\"" + std::string(name) +
         "\" value=\"" + (day ? StatsQuery::formatDay(*day) : std::string()) + "\"></label>";
}

std::string describe(const StatsFilter& filter) {
  std::string text = filter.version.empty() ? "all versions" : "version " + filter.version;
  text += filter.edition.empty() ? ", all editions" : ", edition " + filter.edition;
  if (filter.fromDay && filter.toDay) {
    text += ", trends from " + StatsQuery::formatDay(*filter.fromDay) + " to " +
            StatsQuery::formatDay(*filter.toDay);
  }
  return escape(text);
}

}  // namespace

TimeSeries DashboardPage::optedInShare(const CollectorTrends& trends) {
  TimeSeries out;
  if (trends.optedIn.lines.empty() || trends.active.lines.empty() ||
      trends.optedIn.periods != trends.active.periods) {
    return out;
  }
  out.periods = trends.active.periods;
  const auto& optedIn = trends.optedIn.lines.front().second;
  const auto& active = trends.active.lines.front().second;
  std::vector<std::int64_t> values(out.periods.size(), 0);
  for (std::size_t i = 0; i < values.size() && i < optedIn.size() && i < active.size(); ++i) {
    if (active[i] > 0) values[i] = percent(std::min(optedIn[i], active[i]), active[i]);
  }
  out.lines.emplace_back("opted-in share", std::move(values));
  return out;
}

std::string DashboardPage::render(const CollectorStats& stats) {
  const std::string query = StatsQuery::format(stats.filter);
  const std::string suffix = query.empty() ? "" : "?" + escape(query);
  std::ostringstream html;
  html << head("Telemetry collector") << "<h1>Telemetry collector</h1>"
       << "<form method=\"get\" action=\"/\" aria-label=\"Filter the figures\">"
       << select("version", "Version", "all versions", stats.versions, stats.filter.version)
       << select("edition", "Edition", "all editions", stats.editions, stats.filter.edition)
       << dayInput("from", "From", stats.filter.fromDay) << dayInput("to", "To", stats.filter.toDay)
       << "<button type=\"submit\">Show</button>"
       << "</form><p id=\"showing\">Showing " << describe(stats.filter)
       << ". The same figures as <a id=\"json-link\" href=\"/api/stats" << suffix
       << "\">JSON</a> and <a id=\"csv-link\" href=\"/api/stats.csv" << suffix
       << "\">CSV</a>.</p><div class=\"cards\">"
       << card("card-installations", "installations", std::to_string(stats.installations))
       << card("card-opted-in", "opted in", std::to_string(stats.optedIn))
       << card("card-opt-in-share", "opt-in share", share(stats.optedIn, stats.installations))
       << card("card-initial-only", "initial report only", std::to_string(stats.initialOnly))
       << card("card-reports", "reports stored", std::to_string(stats.reports))
       << "</div><h2>Trends</h2><div class=\"charts\">"
       << SvgLineChart::render("trend-active", "Active installations per day", stats.trends.active)
       << SvgLineChart::render("trend-active-by-version", "Active installations by version",
                               stats.trends.activeByVersion)
       << SvgLineChart::render("trend-active-by-database", "Active installations by database",
                               stats.trends.activeByDatabase)
       << SvgLineChart::render("trend-new-per-week", "New installations per week",
                               stats.trends.newPerWeek)
       << SvgLineChart::render("trend-opted-in-share", "Opted-in share of active installations",
                               optedInShare(stats.trends), " %")
       << "</div><h2>Now</h2><div class=\"charts\">"
       << SvgBarChart::render("Reports per day (last 30 days)", stats.reportsPerDay, 31)
       << SvgBarChart::render("Versions", stats.versions)
       << SvgBarChart::render("Editions", stats.editions)
       << SvgBarChart::render("Databases", stats.databases)
       << SvgBarChart::render("Application servers", stats.applicationServers)
       << SvgBarChart::render("JDKs", stats.jdks)
       << SvgBarChart::render("Integrations", stats.integrations)
       << SvgBarChart::render("Webapps", stats.webapps)
       << "</div><p>Figures count each installation's latest report; an installation is active "
          "on the days it reported. Offline report files: <a href=\"/imports\">upload</a>."
          "</p></body></html>";
  return html.str();
}

std::string DashboardPage::renderRefusal(std::string_view reason) {
  return head("Telemetry collector: bad request") +
         "<h1>Telemetry collector</h1><p class=\"error\" id=\"refusal\">" + escape(reason) +
         "</p><p><a href=\"/\">Show all figures</a></p></body></html>";
}

}  // namespace telemetry::collector
