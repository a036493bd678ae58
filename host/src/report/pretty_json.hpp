// JSON as the CLI prints it for people: 2-space indent, keys in insertion order, and an
// empty object or array as `{}` / `[]` on one line (Poco's own indenting splits them).
#pragma once

#include <functional>
#include <string>

#include <Poco/Dynamic/Var.h>

namespace telemetry {

/// `value` (a Poco::JSON::Object::Ptr, Array::Ptr or scalar) as indented JSON, without a
/// trailing newline. Scalars are written by Poco, so escaping matches the compact form.
std::string prettyJson(const Poco::Dynamic::Var& value);

/// The JSON pointer of a value ("/a/0/b", tokens escaped) -> a comment for its line, or "".
using LineComment = std::function<std::string(const std::string& pointer)>;

/// prettyJson() with `//` comments: each member or item's first line ends with what
/// `comment` says about it (`telemetry explain`). `comment` must give one line of text.
std::string prettyJson(const Poco::Dynamic::Var& value, const LineComment& comment);

/// `token` escaped for a JSON pointer: '~' as ~0, '/' as ~1 (RFC 6901).
std::string pointerToken(const std::string& token);

}  // namespace telemetry
