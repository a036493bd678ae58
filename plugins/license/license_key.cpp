#include "license_key.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <utility>
#include <vector>

#include <Poco/JSON/Object.h>

namespace telemetry::plugins::license {
namespace {

constexpr std::size_t kMinSignatureLength = 32;

std::string_view trim(std::string_view text) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return text;
}

// "----- BEGIN CAMUNDA LICENSE KEY -----" and its END twin.
bool isArmourLine(std::string_view line) {
  line = trim(line);
  if (!line.starts_with("---") || !line.ends_with("---")) return false;
  std::size_t text = line.find_first_not_of('-');
  if (text == std::string_view::npos) return false;
  line = trim(line.substr(text));
  return line.starts_with("BEGIN") || line.starts_with("END");
}

bool isBase64Character(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '_' ||
         c == '-';
}

// Base64/base64url characters followed by nothing but `=` padding: a signature or a piece of
// one. `camundaBPM=true` is not (its `=` is not at the end).
bool isBase64Text(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return !text.empty() && std::all_of(text.begin(), text.end(), isBase64Character);
}

bool isPadding(std::string_view text) {
  return !text.empty() && text.size() <= 2 && text.find_first_not_of('=') == std::string_view::npos;
}

// The key's trimmed lines without armour and blank lines.
std::vector<std::string_view> contentLines(std::string_view stored) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos <= stored.size()) {
    std::size_t end = stored.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = stored.size();
    std::string_view line = trim(stored.substr(pos, end - pos));
    if (!line.empty() && !isArmourLine(line)) lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

// Splits the key at `;` into fields. Lines are joined without separator (keys are wrapped),
// except at a signature block: 32+ base64 characters on lines of their own, maybe with a
// field's base64 end or start on the lines around. The block is dropped and separates fields,
// so no part of a signature is ever glued to a field.
std::vector<std::string> fieldsWithoutSignatureBlocks(std::string_view stored) {
  std::string text;
  for (std::string_view line : contentLines(stored)) {
    if (!text.empty()) text += '\n';
    text.append(line);
  }
  std::vector<std::string> fields;
  std::size_t fieldStart = 0;
  while (fieldStart <= text.size()) {
    std::size_t fieldEnd = std::min(text.find(';', fieldStart), text.size());
    std::vector<std::string_view> pieces;  // the field's lines
    for (std::size_t pos = fieldStart; pos <= fieldEnd;) {
      std::size_t end = std::min(text.find('\n', pos), fieldEnd);
      pieces.push_back(std::string_view(text).substr(pos, end - pos));
      pos = end + 1;
    }
    std::string field;
    for (std::size_t i = 0; i < pieces.size();) {
      std::size_t end = i;
      std::size_t length = 0;
      // A wrap may leave the padding alone on the block's last line.
      while (end < pieces.size() &&
             (isBase64Text(pieces[end]) || (end > i && isPadding(pieces[end])))) {
        length += pieces[end++].size();
      }
      if (end > i && length >= kMinSignatureLength) {
        fields.push_back(std::move(field));
        field.clear();
        i = end;
        continue;
      }
      for (end = std::max(end, i + 1); i < end; ++i) field.append(pieces[i]);
    }
    fields.push_back(std::move(field));
    fieldStart = fieldEnd + 1;
  }
  return fields;
}

bool isIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  int month = (text[5] - '0') * 10 + (text[6] - '0');
  int day = (text[8] - '0') * 10 + (text[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Keys pasted from mails may carry stray bytes; the report must stay valid JSON (UTF-8).
std::string validUtf8(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80           ? 1
                         : (byte >> 5) == 0x6  ? 2
                         : (byte >> 4) == 0xE  ? 3
                         : (byte >> 3) == 0x1E ? 4
                                               : 0;
    bool valid = length > 0 && i + length <= text.size() && byte != 0 && byte != 0xC0 &&
                 byte != 0xC1 && byte < 0xF5;
    for (std::size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD REPLACEMENT CHARACTER
      ++i;
    }
  }
  return out;
}

// "signature=..." (any case): never reported, whatever its value looks like.
bool isNamedSignature(std::string_view field) {
  std::size_t equals = field.find('=');
  return equals != std::string_view::npos &&
         equalsIgnoringCase(trim(field.substr(0, equals)), "signature");
}

// `customer=ACME`: a name (letter, then letters, digits, `_`, `.`, `-`), `=`, a value that
// does not start with `=`. Base64 with padding (`QUJD==`) is not.
bool isNameValue(std::string_view field) {
  std::size_t equals = field.find('=');
  if (equals == std::string_view::npos || equals + 1 == field.size() || field[equals + 1] == '=')
    return false;
  std::string_view name = trim(field.substr(0, equals));
  return !name.empty() && std::isalpha(static_cast<unsigned char>(name.front())) &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
         });
}

}  // namespace

bool looksLikeSignature(std::string_view field) {
  std::string_view body = field;
  while (!body.empty() && body.back() == '=') body.remove_suffix(1);
  if (body.size() < kMinSignatureLength || field.size() - body.size() > 2) return false;
  return std::all_of(body.begin(), body.end(), isBase64Character);
}

LicenseKey LicenseKey::parse(std::string_view stored) {
  LicenseKey key;
  std::vector<std::string> fields;
  // Camunda's layout is `signature;body`: a first field before a `;` that is not
  // `name=value` is that signature, however short.
  bool firstIsSignature = stored.find(';') != std::string_view::npos;
  for (const std::string& joined : fieldsWithoutSignatureBlocks(stored)) {
    // After joining: a wrap may have split a UTF-8 sequence.
    std::string field = validUtf8(joined);
    std::string_view trimmed = trim(field);
    if (std::exchange(firstIsSignature, false) && !isNameValue(trimmed)) continue;
    if (!trimmed.empty() && !looksLikeSignature(trimmed) && !isNamedSignature(trimmed)) {
      fields.emplace_back(trimmed);
    }
  }
  for (const std::string& field : fields) {
    if (!key.raw_.empty()) key.raw_ += ';';
    key.raw_ += field;
  }

  std::optional<std::string> customer;
  std::optional<std::string> expiry;
  std::vector<std::pair<std::string, std::string>> features;
  for (const std::string& field : fields) {
    std::size_t equals = field.find('=');
    if (equals == 0 || equals == std::string::npos) return key;  // not the unified format
    std::string name = field.substr(0, equals);
    std::string value = field.substr(equals + 1);
    if (name == "customer") {
      customer = value;
    } else if (name == "expiryDate") {
      expiry = value;
    } else if (equalsIgnoringCase(value, "true")) {
      features.emplace_back(name, value);
    } else if (!equalsIgnoringCase(value, "false")) {
      return key;  // an attribute we do not know how to report
    }
  }
  if (!customer) return key;
  // A key without expiry date (or with "unlimited") never expires.
  bool unlimited = !expiry || equalsIgnoringCase(*expiry, "unlimited");
  if (!unlimited && !isIsoDate(*expiry)) return key;
  key.customer_ = customer;
  key.unlimited_ = unlimited;
  if (!unlimited) key.validUntil_ = expiry;
  key.features_ = std::move(features);
  return key;
}

std::string LicenseKey::withoutSignature() const { return ";" + raw_; }

std::string LicenseKey::toJson(bool structured) const {
  Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
  if (structured && this->structured()) {
    object.set("customer", *customer_);
    object.set("type", std::string("UNIFIED"));
    if (validUntil_) object.set("valid-until", *validUntil_);
    object.set("unlimited", unlimited_);
    Poco::JSON::Object::Ptr features = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& [name, value] : features_) features->set(name, value);
    object.set("features", features);
  }
  object.set("raw", raw_);
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace telemetry::plugins::license
