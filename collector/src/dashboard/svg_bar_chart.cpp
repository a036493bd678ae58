#include "dashboard/svg_bar_chart.hpp"

#include <algorithm>
#include <sstream>

namespace telemetry::collector {

std::string SvgBarChart::escapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SvgBarChart::render(const std::string& title,
                                const CollectorStats::Distribution& values, std::size_t maxBars) {
  CollectorStats::Distribution bars(
      values.begin(),
      values.begin() + static_cast<std::ptrdiff_t>(std::min(values.size(), maxBars)));
  if (values.size() > maxBars) {
    std::int64_t other = 0;
    for (std::size_t i = maxBars; i < values.size(); ++i) other += values[i].second;
    bars.emplace_back("other", other);
  }
  std::int64_t largest = 1;
  for (const auto& bar : bars) largest = std::max(largest, bar.second);

  constexpr int kLabelWidth = 220, kBarWidth = 260, kRowHeight = 22;
  const int height = static_cast<int>(std::max<std::size_t>(bars.size(), 1)) * kRowHeight + 8;
  std::ostringstream svg;
  svg << "<figure><figcaption>" << escapeXml(title) << "</figcaption>"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" class=\"bars\" viewBox=\"0 0 "
      << kLabelWidth + kBarWidth + 60 << ' ' << height << "\" width=\"100%\" aria-label=\""
      << escapeXml(title) << "\"><title>" << escapeXml(title) << "</title>";
  if (bars.empty()) {
    svg << "<text x=\"0\" y=\"16\" class=\"none\">no data yet</text>";
  }
  int y = 4;
  for (const auto& [label, count] : bars) {
    const auto width = static_cast<int>(count * kBarWidth / largest);
    const std::string shown = label.size() > 34 ? label.substr(0, 33) + "\u2026" : label;
    svg << "<text x=\"" << kLabelWidth - 6 << "\" y=\"" << y + 15
        << "\" text-anchor=\"end\"><title>" << escapeXml(label) << "</title>" << escapeXml(shown)
        << "</text><rect x=\"" << kLabelWidth << "\" y=\"" << y + 3 << "\" width=\""
        << std::max(width, 1) << "\" height=\"" << kRowHeight - 6 << "\"/><text x=\""
        << kLabelWidth + std::max(width, 1) + 6 << "\" y=\"" << y + 15 << "\">" << count
        << "</text>";
    y += kRowHeight;
  }
  svg << "</svg></figure>";
  return svg.str();
}

}  // namespace telemetry::collector
