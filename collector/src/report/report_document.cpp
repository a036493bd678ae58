#include "report/report_document.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/json_value.hpp"
#include "report/report_validator.hpp"

namespace telemetry::collector {
namespace {

// Iterative: hostile nesting costs no stack. No kParseStopWhenDoneFlag: trailing bytes are an
// error. Full precision: doubles round as Poco's parser rounded them.
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseFullPrecisionFlag;
constexpr std::size_t kMaxQuotedKey = 64;
// RapidJSON 1.1's full-precision reader looks up 10^e in a table that starts at 10^-348,
// without checking e, for numbers of many digits and a small exponent
// ([5.4444444444444e-337] crashed it; found by fuzzing). Such numbers are refused first.
constexpr long kLowestSafePowerOfTen = -340;
constexpr std::size_t kPairwiseMembers = 16;

// Passes the parser's events on, refusing to open a container deeper than the limit (and a
// number beyond a double, or a string holding a lone surrogate).
template <typename Handler>
class DepthLimit {
 public:
  DepthLimit(Handler& next, unsigned maxDepth) : next_(next), maxDepth_(maxDepth) {}

  bool Null() { return next_.Null(); }
  bool Bool(bool b) { return next_.Bool(b); }
  bool Int(int i) { return next_.Int(i); }
  bool Uint(unsigned u) { return next_.Uint(u); }
  bool Int64(std::int64_t i) { return next_.Int64(i); }
  bool Uint64(std::uint64_t u) { return next_.Uint64(u); }
  // With kParseFullPrecisionFlag RapidJSON 1.1 reads a number just beyond the largest double
  // (2.5e308) as infinity instead of refusing it; infinity has no JSON spelling to store.
  bool Double(double d) {
    if (std::isfinite(d)) return next_.Double(d);
    infinite_ = true;
    return false;
  }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) {
    return next_.RawNumber(text, length, copy);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) {
    return wellFormed(text, length) && next_.String(text, length, copy);
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) {
    return wellFormed(text, length) && next_.Key(text, length, copy);
  }
  bool StartObject() { return enter() && next_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return next_.EndObject(members);
  }
  bool StartArray() { return enter() && next_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return next_.EndArray(elements);
  }

  bool exceeded() const { return exceeded_; }
  bool infinite() const { return infinite_; }
  bool loneSurrogate() const { return loneSurrogate_; }

 private:
  // RapidJSON 1.1 refuses a lone high surrogate escape but decodes a lone low one
  // (\udc00-\udfff) into the bytes ED B0-BF xx, which are not UTF-8 and would be stored.
  bool wellFormed(const char* text, rapidjson::SizeType length) {
    const std::string_view decoded(text, length);
    for (auto at = decoded.find('\xED'); at != std::string_view::npos;
         at = decoded.find('\xED', at + 1)) {
      if (at + 1 < decoded.size() && static_cast<unsigned char>(decoded[at + 1]) >= 0xA0) {
        loneSurrogate_ = true;
        return false;
      }
    }
    return true;
  }

  bool enter() {
    if (depth_ == maxDepth_) {
      exceeded_ = true;
      return false;
    }
    ++depth_;
    return true;
  }

  Handler& next_;
  unsigned maxDepth_;
  unsigned depth_ = 0;
  bool exceeded_ = false;
  bool infinite_ = false;
  bool loneSurrogate_ = false;
};

// RapidJSON's English message as part of a sentence: "Missing a comma." -> "missing a comma".
std::string describe(rapidjson::ParseErrorCode code) {
  std::string text = rapidjson::GetParseError_En(code);
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

// A member name for the message, cut short (at a character boundary) when it is long.
std::string quoted(std::string_view name) {
  if (name.size() <= kMaxQuotedKey) return '"' + std::string(name) + '"';
  std::size_t end = kMaxQuotedKey;
  while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
  return '"' + std::string(name.substr(0, end)) + "...\"";
}

// A name the object has already had, if any: pairwise for the usual small objects, sorted
// for large ones so that a hostile object with many members costs n log n.
const rapidjson::Value* repeatedName(const rapidjson::Value& object) {
  const auto begin = object.MemberBegin();
  const auto end = object.MemberEnd();
  if (object.MemberCount() <= kPairwiseMembers) {
    for (auto later = begin; later != end; ++later) {
      for (auto earlier = begin; earlier != later; ++earlier) {
        if (textOf(earlier->name) == textOf(later->name)) return &later->name;
      }
    }
    return nullptr;
  }
  std::vector<const rapidjson::Value*> names;
  names.reserve(object.MemberCount());
  for (auto member = begin; member != end; ++member) names.push_back(&member->name);
  std::ranges::sort(names, {}, [](const rapidjson::Value* name) { return textOf(*name); });
  const auto repeated = std::ranges::adjacent_find(
      names, [](const auto* a, const auto* b) { return textOf(*a) == textOf(*b); });
  return repeated == names.end() ? nullptr : *repeated;
}

// Finds an object repeating a member name; on the way back out, `where` collects the JSON
// pointer tokens leading to it, innermost first.
const rapidjson::Value* findRepeatedName(const rapidjson::Value& value,
                                         std::vector<std::string>& where) {
  if (value.IsObject()) {
    if (const auto* name = repeatedName(value)) return name;
    for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
      if (const auto* name = findRepeatedName(member->value, where)) {
        where.push_back(ReportValidator::escapePointerToken(textOf(member->name)));
        return name;
      }
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      if (const auto* name = findRepeatedName(value[i], where)) {
        where.push_back(std::to_string(i));
        return name;
      }
    }
  }
  return nullptr;
}

/// True when RapidJSON 1.1 would look up a power of ten below its table for `number`, a
/// JSON number token. Mirrors its StrtodFullPrecision: digits without leading and trailing
/// zeros, then either an early underflow to 0 or a lookup of 10^(position of the last digit
/// it reads).
bool beyondThePowersOfTen(std::string_view number) {
  std::size_t pos = number.starts_with('-') ? 1 : 0;
  std::string digits;
  long integerDigits = 0;
  auto takeDigits = [&] {
    while (pos < number.size() && number[pos] >= '0' && number[pos] <= '9') {
      digits += number[pos++];
    }
  };
  takeDigits();
  integerDigits = static_cast<long>(digits.size());
  if (pos < number.size() && number[pos] == '.') {
    ++pos;
    takeDigits();
  }
  if (digits.empty()) return false;  // not a number: RapidJSON refuses it itself
  long exponent = 0;
  if (pos < number.size() && (number[pos] == 'e' || number[pos] == 'E')) {
    std::string_view text = number.substr(pos + 1);
    if (text.starts_with('+')) text.remove_prefix(1);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), exponent);
    if (error == std::errc::result_out_of_range) return true;
    if (error != std::errc()) return false;
    // Far beyond any double either way; keeps the sums below from overflowing.
    exponent = std::clamp(exponent, -1000000L, 1000000L);
  }
  // All zeros: RapidJSON keeps the last one.
  const std::size_t nonZero = digits.find_last_not_of('0');
  const std::size_t first = std::min(digits.find_first_not_of('0'), digits.size() - 1);
  const std::size_t last = nonZero == std::string::npos ? first : nonZero;
  const long leading = static_cast<long>(first);
  const long length = static_cast<long>(last - first + 1);
  const long trailing = static_cast<long>(digits.size() - 1 - last);
  if (length + exponent + trailing < -324) return false;  // read as 0 before any lookup
  // It reads at most 20 digits into its 64-bit significand before the lookup.
  return integerDigits - leading + exponent - std::min(length, 20L) < kLowestSafePowerOfTen;
}

/// Where the first number RapidJSON 1.1 cannot read safely starts, if any.
std::optional<std::size_t> unsafeNumberAt(std::string_view body) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '"') {
      for (++i; i < body.size() && body[i] != '"'; ++i) {
        if (body[i] == '\\') ++i;
      }
      continue;
    }
    if (c != '-' && (c < '0' || c > '9')) continue;
    const std::size_t start = i;
    while (i < body.size() &&
           std::string_view("0123456789+-.eE").find(body[i]) != std::string_view::npos) {
      ++i;
    }
    if (beyondThePowersOfTen(body.substr(start, i - start))) return start;
    --i;
  }
  return std::nullopt;
}

}  // namespace

ReportDocument::ReportDocument(std::string_view body) {
  if (const auto at = unsafeNumberAt(body)) {
    throw JsonSyntaxError(
        "not valid JSON: a number of too many digits for its exponent (the "
        "JSON reader cannot read it exactly) at byte " +
        std::to_string(*at));
  }
  rapidjson::MemoryStream in(body.data(), body.size());
  rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, Pool> reader(&stackPool_);
  bool tooDeep = false;
  bool infinite = false;
  bool loneSurrogate = false;
  auto parse = [&](auto& document) {
    DepthLimit limited(document, kMaxDepth);
    const bool parsed = reader.template Parse<kParseFlags>(in, limited);
    tooDeep = limited.exceeded();
    infinite = limited.infinite();
    loneSurrogate = limited.loneSurrogate();
    return parsed;
  };
  document_.Populate(parse);
  const auto error = reader.GetParseErrorCode();
  if (error == rapidjson::kParseErrorDocumentEmpty) {
    throw JsonSyntaxError("not valid JSON: " + describe(error));
  }
  if (error != rapidjson::kParseErrorNone) {
    const std::string what = tooDeep ? "nested deeper than " + std::to_string(kMaxDepth) + " levels"
                             : infinite ? describe(rapidjson::kParseErrorNumberTooBig)
                             : loneSurrogate
                                 ? describe(rapidjson::kParseErrorStringUnicodeSurrogateInvalid)
                                 : describe(error);
    throw JsonSyntaxError("not valid JSON: " + what + " at byte " +
                          std::to_string(reader.GetErrorOffset()));
  }
  // The stream reads a NUL byte as the end of the input.
  if (in.Tell() != body.size()) {
    throw JsonSyntaxError("not valid JSON: a NUL byte at byte " + std::to_string(in.Tell()));
  }
  std::vector<std::string> where;
  if (const auto* name = findRepeatedName(document_, where)) {
    std::string pointer;
    for (auto token = where.rbegin(); token != where.rend(); ++token) pointer += '/' + *token;
    throw JsonSyntaxError("not valid JSON: duplicate key " + quoted(textOf(*name)) + " in " +
                          (pointer.empty() ? std::string("the top-level object") : pointer));
  }
}

}  // namespace telemetry::collector
