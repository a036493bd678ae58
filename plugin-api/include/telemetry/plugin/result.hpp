// What one probe's collect() gives back: a JSON value, "not applicable", or an error.
#pragma once

#include <string>
#include <utility>

namespace telemetry::plugin {

class Result {
 public:
  enum class Kind { value, not_applicable, error };

  /// A JSON document (object, array or scalar) for the probe's report section.
  static Result value(std::string json) { return {Kind::value, std::move(json)}; }
  /// The section does not apply here (e.g. no application server in an embedded setup).
  static Result notApplicable(std::string reason) {
    return {Kind::not_applicable, std::move(reason)};
  }
  /// Collecting failed; the message is logged and the section left out.
  static Result error(std::string message) { return {Kind::error, std::move(message)}; }

  Kind kind() const { return kind_; }
  /// JSON text for `value`, the reason or message otherwise.
  const std::string& text() const { return text_; }

 private:
  Result(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}
  Kind kind_;
  std::string text_;
};

}  // namespace telemetry::plugin
