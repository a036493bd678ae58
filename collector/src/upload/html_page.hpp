// The frame of the upload pages (GET /imports and the answers of its form): the dashboard's
// look, no script, and the headers that keep a page with a password field to itself.
#pragma once

#include <string>
#include <string_view>

#include "http/http_exchange.hpp"

namespace telemetry::collector {

class HtmlPage {
 public:
  /// A complete document: `title` (escaped) as its title and heading, then `content`, HTML
  /// the caller escaped, then a link back to the dashboard.
  static std::string render(std::string_view title, std::string_view content);
  /// Escapes &, <, >, " and ' for HTML text and attributes.
  static std::string escape(std::string_view text);
  /// `html` as a text/html answer that is not cached, framed, sniffed or given as referrer
  /// to another site, and whose only action is a form posting to this collector.
  static HttpResponse response(int status, std::string html);
};

}  // namespace telemetry::collector
