// GET /imports: the upload form for offline report files (ImportFormPage).
#pragma once

#include "endpoints/collector_context.hpp"
#include "http/http_handler.hpp"

namespace telemetry::collector {

/// The page is static but for whether uploads are on; it needs no credential to be shown
/// (POST /imports checks the token it sends).
class ImportPageHandler : public HttpHandler {
 public:
  explicit ImportPageHandler(CollectorContext& context) : context_(context) {}
  void handle(HttpRequest& request, HttpResponder respond) override;

 private:
  CollectorContext& context_;
};

}  // namespace telemetry::collector
