#include "server/not_found_handler.hpp"

namespace telemetry::collector {

std::optional<HttpResponse> NotFoundHandler::screen(const HttpRequest&) {
  if (allow_.empty()) return HttpResponse::error(404, "not found");
  auto answer = HttpResponse::error(405, "method not allowed");
  answer.headers.emplace_back("Allow", allow_);
  return answer;
}

void NotFoundHandler::handle(HttpRequest& request, HttpResponder respond) {
  respond(*screen(request));  // not reached: screen() always answers
}

}  // namespace telemetry::collector
