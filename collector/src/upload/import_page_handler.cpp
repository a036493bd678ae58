#include "upload/import_page_handler.hpp"

#include "upload/html_page.hpp"
#include "upload/import_form_page.hpp"

namespace telemetry::collector {

void ImportPageHandler::handle(HttpRequest&, HttpResponder respond) {
  respond(HtmlPage::response(200, ImportFormPage::render(!context_.config.adminToken.empty())));
}

}  // namespace telemetry::collector
