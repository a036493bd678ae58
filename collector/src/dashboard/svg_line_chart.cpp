#include "dashboard/svg_line_chart.hpp"

#include <algorithm>
#include <array>
#include <sstream>

#include "dashboard/svg_bar_chart.hpp"

namespace telemetry::collector {
namespace {

constexpr int kWidth = 480, kHeight = 224;
constexpr int kLeft = 52, kRight = 464, kTop = 12, kBottom = 192;

// Line styles told apart by dash pattern and marker as much as by colour.
struct LineStyle {
  const char* colour;
  const char* dashes;  // "" for a solid line
  const char* marker;  // circle, square, triangle, diamond, cross, ring, plus
};
constexpr std::array<LineStyle, SvgLineChart::kMaxLines + 1> kStyles{{
    {"#1f5a96", "", "circle"},
    {"#b03a2e", "9 4", "square"},
    {"#1e7b4a", "2 3", "triangle"},
    {"#6a3d9a", "10 3 2 3", "diamond"},
    {"#a35f00", "16 5", "cross"},
    {"#007c8a", "4 2 1 2", "ring"},
    {"#555555", "1 5", "plus"},
}};

using Line = std::pair<std::string, std::vector<std::int64_t>>;

// The lines to draw: every one as long as `periods`, at most maxLines + "other".
std::vector<Line> linesToDraw(const TimeSeries& series, std::size_t maxLines) {
  const std::size_t periods = series.periods.size();
  maxLines = std::clamp<std::size_t>(maxLines, 1, SvgLineChart::kMaxLines);
  std::vector<Line> lines;
  Line other{"other", std::vector<std::int64_t>(periods, 0)};
  bool anyOther = false;
  for (const auto& [name, values] : series.lines) {
    std::vector<std::int64_t> fitted(periods, 0);
    std::copy_n(values.begin(), std::min(values.size(), periods), fitted.begin());
    if (name != "other" && lines.size() < maxLines) {
      lines.emplace_back(name, std::move(fitted));
      continue;
    }
    anyOther = true;
    for (std::size_t i = 0; i < periods; ++i) other.second[i] += fitted[i];
  }
  if (anyOther) lines.push_back(std::move(other));
  return lines;
}

// 1, 2 or 5 times a power of ten, at least `value` (and at least 1).
std::int64_t roundedUp(std::int64_t value) {
  std::int64_t step = 1;
  while (true) {
    for (std::int64_t factor : {1, 2, 5}) {
      if (step * factor >= value) return step * factor;
    }
    if (step > INT64_MAX / 100) return value;
    step *= 10;
  }
}

void marker(std::ostringstream& svg, const LineStyle& style, double x, double y) {
  const std::string kind = style.marker;
  svg << "<path d=\"";
  if (kind == "circle" || kind == "ring") {
    svg << "M" << x - 3.5 << ' ' << y << "a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0";
  } else if (kind == "square") {
    svg << "M" << x - 3.2 << ' ' << y - 3.2 << "h6.4v6.4h-6.4z";
  } else if (kind == "triangle") {
    svg << "M" << x << ' ' << y - 4.2 << "l4 7h-8z";
  } else if (kind == "diamond") {
    svg << "M" << x << ' ' << y - 4.5 << "l4.5 4.5l-4.5 4.5l-4.5 -4.5z";
  } else if (kind == "cross") {
    svg << "M" << x - 3.5 << ' ' << y - 3.5 << "l7 7m0 -7l-7 7";
  } else {
    svg << "M" << x - 4 << ' ' << y << "h8m-4 -4v8";
  }
  const bool open = kind == "ring" || kind == "cross" || kind == "plus";
  svg << "\" fill=\"" << (open ? "#fff" : style.colour) << "\" stroke=\"" << style.colour
      << "\" stroke-width=\"1.6\"/>";
}

void lineSample(std::ostringstream& html, const LineStyle& style) {
  html << "<svg class=\"sample\" width=\"40\" height=\"12\" viewBox=\"0 0 40 12\" "
          "aria-hidden=\"true\"><path d=\"M2 6h36\" fill=\"none\" stroke=\""
       << style.colour << "\" stroke-width=\"2\"";
  if (*style.dashes) html << " stroke-dasharray=\"" << style.dashes << "\"";
  html << "/>";
  marker(html, style, 20, 6);
  html << "</svg>";
}

std::string withUnit(std::int64_t value, std::string_view unit) {
  return std::to_string(value) + SvgBarChart::escapeXml(unit);
}

}  // namespace

std::string SvgLineChart::render(std::string_view id, std::string_view title,
                                 const TimeSeries& series, std::string_view unit,
                                 std::size_t maxLines) {
  const auto lines = linesToDraw(series, maxLines);
  const std::size_t periods = series.periods.size();
  const std::string safeTitle = SvgBarChart::escapeXml(title);
  std::ostringstream html;
  html.precision(5);
  html << "<figure class=\"trend\" id=\"" << SvgBarChart::escapeXml(id) << "\"><figcaption>"
       << safeTitle << "</figcaption>";
  if (periods == 0 || lines.empty()) {
    html << "<p class=\"none\">no data yet</p></figure>";
    return html.str();
  }
  std::int64_t largest = 0;
  for (const auto& line : lines) {
    for (auto value : line.second) largest = std::max(largest, value);
  }
  const std::int64_t top = roundedUp(largest);
  const auto xOf = [&](std::size_t i) {
    if (periods == 1) return (kLeft + kRight) / 2.0;
    return kLeft + static_cast<double>(i) * (kRight - kLeft) / static_cast<double>(periods - 1);
  };
  const auto yOf = [&](std::int64_t value) {
    return kBottom - static_cast<double>(std::max<std::int64_t>(value, 0)) * (kBottom - kTop) /
                         static_cast<double>(top);
  };

  html << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 " << kWidth << ' '
       << kHeight << "\" width=\"100%\" aria-label=\"" << safeTitle << ", "
       << SvgBarChart::escapeXml(series.periods.front()) << " to "
       << SvgBarChart::escapeXml(series.periods.back()) << ", " << lines.size()
       << (lines.size() == 1 ? " line" : " lines") << "; values in the table below\"><title>"
       << safeTitle << "</title>";
  for (int tick = 0; tick <= 2; ++tick) {
    const std::int64_t value = tick == 0 ? 0 : tick == 1 ? top / 2 : top;  // top * 2 may overflow
    const double y = yOf(value);
    html << "<path d=\"M" << kLeft << ' ' << y << "H" << kRight
         << "\" stroke=\"#ccc\" stroke-width=\"1\"/><text x=\"" << kLeft - 6 << "\" y=\"" << y + 4
         << "\" text-anchor=\"end\">" << withUnit(value, unit) << "</text>";
  }
  std::vector<std::size_t> labelled{0};
  if (periods > 2) labelled.push_back(periods / 2);
  if (periods > 1) labelled.push_back(periods - 1);
  for (std::size_t i : labelled) {
    const char* anchor = periods == 1       ? "middle"
                         : i == 0           ? "start"
                         : i + 1 == periods ? "end"
                                            : "middle";
    html << "<text x=\"" << xOf(i) << "\" y=\"" << kBottom + 20 << "\" text-anchor=\"" << anchor
         << "\">" << SvgBarChart::escapeXml(series.periods[i]) << "</text>";
  }
  // Markers on at most about 16 points a line, staggered so that lines on top of each
  // other still show each one's marker.
  const std::size_t every = std::max<std::size_t>(1, (periods + 15) / 16);
  for (std::size_t l = 0; l < lines.size(); ++l) {
    const LineStyle& style = kStyles[l];
    const auto& values = lines[l].second;
    html << "<g><title>" << SvgBarChart::escapeXml(lines[l].first) << "</title>";
    if (periods > 1) {
      html << "<polyline fill=\"none\" stroke=\"" << style.colour << "\" stroke-width=\"2\"";
      if (*style.dashes) html << " stroke-dasharray=\"" << style.dashes << "\"";
      html << " points=\"";
      for (std::size_t i = 0; i < periods; ++i) {
        html << (i ? " " : "") << xOf(i) << ',' << yOf(values[i]);
      }
      html << "\"/>";
    }
    for (std::size_t i = l % every; i < periods; i += every)
      marker(html, style, xOf(i), yOf(values[i]));
    html << "</g>";
  }
  html << "</svg><ul class=\"legend\">";
  for (std::size_t l = 0; l < lines.size(); ++l) {
    html << "<li>";
    lineSample(html, kStyles[l]);
    html << SvgBarChart::escapeXml(lines[l].first) << "</li>";
  }
  html << "</ul><details><summary>Values</summary><div class=\"scroll\"><table><thead><tr>"
       << "<th scope=\"col\">period</th>";
  for (const auto& line : lines) {
    html << "<th scope=\"col\">" << SvgBarChart::escapeXml(line.first) << "</th>";
  }
  html << "</tr></thead><tbody>";
  for (std::size_t i = 0; i < periods; ++i) {
    html << "<tr><th scope=\"row\">" << SvgBarChart::escapeXml(series.periods[i]) << "</th>";
    for (const auto& line : lines) html << "<td>" << withUnit(line.second[i], unit) << "</td>";
    html << "</tr>";
  }
  html << "</tbody></table></div></details></figure>";
  return html.str();
}

}  // namespace telemetry::collector
