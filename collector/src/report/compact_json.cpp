#include "report/compact_json.hpp"

#include <Poco/NumberFormatter.h>
#include <rapidjson/document.h>

#include <array>
#include <charconv>
#include <string_view>

namespace telemetry::collector {
namespace {

// What each byte is written as inside a string: empty when it goes out as it is.
constexpr std::array<std::string_view, 256> escapes() {
  constexpr std::string_view kControl[32] = {
      "\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005", "\\u0006", "\\u0007",
      "\\b",     "\\t",     "\\n",     "\\u000B", "\\f",     "\\r",     "\\u000E", "\\u000F",
      "\\u0010", "\\u0011", "\\u0012", "\\u0013", "\\u0014", "\\u0015", "\\u0016", "\\u0017",
      "\\u0018", "\\u0019", "\\u001A", "\\u001B", "\\u001C", "\\u001D", "\\u001E", "\\u001F"};
  std::array<std::string_view, 256> table{};
  for (int c = 0; c < 32; ++c) table[c] = kControl[c];
  table['"'] = "\\\"";
  table['\\'] = "\\\\";
  return table;
}
constexpr auto kEscapes = escapes();

void appendString(const rapidjson::Value& value, std::string& out) {
  const std::string_view text(value.GetString(), value.GetStringLength());
  out += '"';
  std::size_t plain = 0;  // start of the bytes not yet written
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::string_view escaped = kEscapes[static_cast<unsigned char>(text[i])];
    if (escaped.empty()) continue;
    out.append(text, plain, i - plain);
    out += escaped;
    plain = i + 1;
  }
  out.append(text, plain);
  out += '"';
}

template <typename Integer>
void appendInteger(Integer value, std::string& out) {
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), value).ptr;
  out.append(digits, end);
}

}  // namespace

std::string CompactJson::write(const rapidjson::Value& document) {
  std::string out;
  out.reserve(2048);  // a full report is about 1.5 KB
  append(document, out);
  return out;
}

void CompactJson::append(const rapidjson::Value& value, std::string& out) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      out += "null";
      break;
    case rapidjson::kFalseType:
      out += "false";
      break;
    case rapidjson::kTrueType:
      out += "true";
      break;
    case rapidjson::kStringType:
      appendString(value, out);
      break;
    case rapidjson::kNumberType:
      if (value.IsDouble()) {
        Poco::NumberFormatter::append(out, value.GetDouble());
      } else if (value.IsInt64()) {
        appendInteger(value.GetInt64(), out);
      } else {
        appendInteger(value.GetUint64(), out);
      }
      break;
    case rapidjson::kObjectType: {
      out += '{';
      for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
        if (member != value.MemberBegin()) out += ',';
        appendString(member->name, out);
        out += ':';
        append(member->value, out);
      }
      out += '}';
      break;
    }
    case rapidjson::kArrayType: {
      out += '[';
      for (auto item = value.Begin(); item != value.End(); ++item) {
        if (item != value.Begin()) out += ',';
        append(*item, out);
      }
      out += ']';
      break;
    }
  }
}

}  // namespace telemetry::collector
