#include "upload/import_result_page.hpp"

#include <algorithm>

#include "upload/html_page.hpp"

namespace telemetry::collector {
namespace {

std::string card(const char* label, std::size_t value) {
  return "<div class=\"card\"><b>" + std::to_string(value) + "</b>" + label + "</div>";
}

constexpr const char* kAnother = "<p><a href=\"/imports\">Upload another file</a></p>";

}  // namespace

std::string ImportResultPage::render(const ImportSummary& summary, std::size_t maxListed) {
  std::string content = "<div class=\"cards\">" + card("stored", summary.stored) +
                        card("duplicate(s)", summary.duplicates) +
                        card("dropped (installation deleted on request)", summary.deleted) +
                        card("refused", summary.refused.size()) + "</div>";
  if (summary.refused.empty()) {
    content += "<p>Every report of the file was stored or was already stored.</p>";
  } else {
    content +=
        "<p class=\"refused\">Some lines were refused; the others were stored. Fix them and "
        "upload the file again: what is stored already is not stored twice.</p>"
        "<table><thead><tr><th>line</th><th>why it was refused</th></tr></thead><tbody>";
    const std::size_t listed = std::min(summary.refused.size(), maxListed);
    for (std::size_t i = 0; i < listed; ++i) {
      const auto& refusal = summary.refused[i];
      content += "<tr><td>" +
                 (refusal.line == 0 ? std::string("the file") : std::to_string(refusal.line)) +
                 "</td><td>" + HtmlPage::escape(refusal.reason) + "</td></tr>";
    }
    content += "</tbody></table>";
    if (summary.refused.size() > listed) {
      content += "<p>... and " + std::to_string(summary.refused.size() - listed) +
                 " more refused line(s).</p>";
    }
  }
  return HtmlPage::render("Upload imported", content + kAnother);
}

std::string ImportResultPage::refusal(std::string_view message) {
  return HtmlPage::render("Upload refused",
                          "<p class=\"refused\">" + HtmlPage::escape(message) + "</p>" + kAnother);
}

}  // namespace telemetry::collector
