// Any other request: 404, or 405 when the path exists for another method.
#pragma once

#include <string>

#include "http/http_handler.hpp"

namespace telemetry::collector {

/// `allow` empty: 404; otherwise 405 with that Allow header. Answers from the head alone,
/// so a body sent along is never read.
class NotFoundHandler : public HttpHandler {
 public:
  explicit NotFoundHandler(std::string allow) : allow_(std::move(allow)) {}
  std::optional<HttpResponse> screen(const HttpRequest& head) override;
  void handle(HttpRequest& request, HttpResponder respond) override;

 private:
  std::string allow_;
};

}  // namespace telemetry::collector
