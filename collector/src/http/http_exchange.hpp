// One HTTP request and its answer as the collector's handlers see them, free of the
// network library so handlers and their tests need no sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telemetry::collector {

/// Header names compare case-insensitively, as HTTP says.
using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// A request: its head first (for HttpHandler::screen), then the body once it is read.
struct HttpRequest {
  std::string method;
  std::string path;     // the target without its query
  std::string query;    // the target after its first '?', still percent-encoded
  std::string peer;     // the connected peer's IP address as the socket gives it
                        // (ClientAddressResolver unmaps IPv4-mapped ones); never logged or stored
  HttpHeaders headers;  // in arrival order
  std::optional<std::uint64_t> contentLength;  // none for chunked bodies
  std::string body;

  /// The first header of that name, or `fallback`.
  std::string header(std::string_view name, std::string_view fallback = {}) const;
  /// Every header of that name in arrival order, joined with ", " as one list (RFC 9110
  /// 5.3): a proxy may append its own line instead of extending the client's.
  std::string headerList(std::string_view name) const;
};

/// A complete answer; the server adds Content-Length, Date and Connection.
struct HttpResponse {
  int status = 200;
  std::string contentType;
  HttpHeaders headers;
  std::string body;
  bool keepAlive = true;  // false closes the connection after the answer

  static HttpResponse text(int status, std::string contentType, std::string body);
  static HttpResponse json(int status, std::string body);
  /// A JSON body {"error": message}, plus {"field": pointer} when a field is to blame.
  static HttpResponse error(int status, std::string_view message,
                            const std::optional<std::string>& field = std::nullopt);
};

}  // namespace telemetry::collector
