#include "upload/html_page.hpp"

#include "dashboard/svg_bar_chart.hpp"

namespace telemetry::collector {
namespace {

// The dashboard's rules (dashboard_page.cpp) and the form's own.
constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:70rem}"
    "h1{font-size:1.4rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}"
    ".card{border:1px solid #ccc;border-radius:6px;padding:.8rem 1.2rem;min-width:9rem}"
    ".card b{display:block;font-size:1.6rem}"
    "form{display:grid;gap:.8rem;max-width:32rem}label{display:grid;gap:.3rem;font-weight:600}"
    "button{justify-self:start;padding:.4rem 1.2rem}.note{color:#555}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;"
    "text-align:left}.refused{color:#a12}";

}  // namespace

std::string HtmlPage::escape(std::string_view text) { return SvgBarChart::escapeXml(text); }

std::string HtmlPage::render(std::string_view title, std::string_view content) {
  const std::string heading = escape(title);
  std::string html;
  html.reserve(content.size() + 1024);
  html += "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>";
  html += heading;
  html += " - Telemetry collector</title><style>";
  html += kStyle;
  html += "</style></head><body><h1>";
  html += heading;
  html += "</h1>";
  html += content;
  html += "<p><a href=\"/\">Back to the dashboard</a></p></body></html>";
  return html;
}

HttpResponse HtmlPage::response(int status, std::string html) {
  auto answer = HttpResponse::text(status, "text/html; charset=utf-8", std::move(html));
  // Only our inline CSS; the form may post only here; no other site may frame the page
  // and steer a click, and the token typed into it never lands in a cache.
  answer.headers.emplace_back("Content-Security-Policy",
                              "default-src 'none'; style-src 'unsafe-inline'; "
                              "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  answer.headers.emplace_back("Cache-Control", "no-store");
  answer.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // Not no-referrer: under it a browser sends "Origin: null" with the form, which
  // RequestOrigin refuses as it must (sandboxed frames send it too).
  answer.headers.emplace_back("Referrer-Policy", "same-origin");
  return answer;
}

}  // namespace telemetry::collector
