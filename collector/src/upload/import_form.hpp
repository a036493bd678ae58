// The upload form's body (GET /imports posts it to POST /imports): multipart/form-data with
// exactly one `token` part and one `file` part. The body is already in memory, bounded by
// ImportHandler::kMaxBody; Poco's MultipartReader walks its parts.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace telemetry::collector {

/// Why a form body was refused (400): one sentence, never a byte of the input.
class ImportFormError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The two parts of the upload form, checked strictly: a truncated body, a part named
/// twice, a part of another name, a missing part or oversized part headers are refused
/// rather than guessed at.
struct ImportForm {
  /// A token is a line of at most 1 KiB (admin-token-file's own limit).
  static constexpr std::size_t kMaxToken = 1024;
  /// Content-Disposition and Content-Type, and a little room: a browser sends two.
  static constexpr int kMaxPartHeaders = 8;

  std::string token;  ///< surrounding white space removed (a pasted line's newline)
  std::string file;   ///< the uploaded offline report file, exactly as sent

  /// True when `contentType` is multipart/form-data, whatever its parameters.
  static bool isForm(std::string_view contentType);
  /// The boundary parameter of a multipart/form-data `contentType`: 1 to 70 characters of
  /// RFC 2046's set. Throws ImportFormError when it is missing or not such a boundary.
  static std::string boundary(std::string_view contentType);
  /// Parses a whole body. Throws ImportFormError (never another exception but bad_alloc).
  static ImportForm parse(std::string body, std::string_view contentType);
};

}  // namespace telemetry::collector
