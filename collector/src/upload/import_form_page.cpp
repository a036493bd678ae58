#include "upload/import_form_page.hpp"

#include "endpoints/import_handler.hpp"
#include "upload/html_page.hpp"

namespace telemetry::collector {

std::string ImportFormPage::render(bool uploadsEnabled) {
  if (!uploadsEnabled) {
    return HtmlPage::render(
        "Upload offline reports",
        "<p class=\"refused\">Uploads are off: this collector has no "
        "<code>admin-token-file</code> configured.</p><p class=\"note\">Import files on the "
        "collector's host with <code>telemetry-collector import FILE</code>, or set "
        "<code>admin-token-file</code> in collector.yaml and restart to allow uploads.</p>");
  }
  const std::string limit = std::to_string(ImportHandler::kMaxBody / (1024 * 1024));
  return HtmlPage::render(
      "Upload offline reports",
      "<p>An installation without a route to this collector writes its reports to a file "
      "with <code>telemetry send --to FILE</code>. Upload that file here: each report is "
      "checked like one sent over HTTPS and stored once; uploading a file again stores "
      "nothing twice.</p>"
      "<form method=\"post\" action=\"/imports\" enctype=\"multipart/form-data\" "
      "accept-charset=\"utf-8\">"
      "<label>Admin token (the content of the collector's admin-token-file)"
      "<input type=\"password\" name=\"token\" required autocomplete=\"off\" "
      "spellcheck=\"false\"></label>"
      "<label>Report file"
      "<input type=\"file\" name=\"file\" required></label>"
      "<button type=\"submit\">Upload</button></form>"
      "<p class=\"note\">At most " +
          limit +
          " MiB per upload; import larger files on the collector's host with "
          "<code>telemetry-collector import FILE</code>.</p>");
}

}  // namespace telemetry::collector
