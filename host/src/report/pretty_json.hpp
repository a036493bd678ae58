// JSON as the CLI prints it for people: 2-space indent, keys in insertion order, and an
// empty object or array as `{}` / `[]` on one line (Poco's own indenting splits them).
#pragma once

#include <string>

#include <Poco/Dynamic/Var.h>

namespace telemetry {

/// `value` (a Poco::JSON::Object::Ptr, Array::Ptr or scalar) as indented JSON, without a
/// trailing newline. Scalars are written by Poco, so escaping matches the compact form.
std::string prettyJson(const Poco::Dynamic::Var& value);

}  // namespace telemetry
