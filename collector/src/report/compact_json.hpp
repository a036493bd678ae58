// A parsed document written back as JSON without insignificant whitespace: the stored
// payload, and what its digest is taken over.
#pragma once

#include <rapidjson/fwd.h>

#include <string>

namespace telemetry::collector {

/// Byte for byte what Poco::JSON::Stringifier::condense wrote for the same text parsed by
/// Poco (digests of reports stored by earlier versions must stay comparable): members in
/// the sender's order, only '"', '\\' and control characters escaped (\u00XX in upper case
/// hex unless they have a short escape), doubles as Poco::NumberFormatter writes them.
/// Integers beyond 64 bits are the exception: Poco 1.11 wrapped them, here they are doubles.
class CompactJson {
 public:
  static std::string write(const rapidjson::Value& document);
  static void append(const rapidjson::Value& value, std::string& out);
};

}  // namespace telemetry::collector
