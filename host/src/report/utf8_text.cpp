#include "report/utf8_text.hpp"

#include <cstdio>

namespace telemetry {

std::size_t utf8SequenceLength(std::string_view text, std::size_t i) noexcept {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  // The second byte's range rules out overlong forms, surrogates and code points above
  // U+10FFFF (RFC 3629, table 3-7 of the Unicode standard).
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = i + 2; k < i + length; ++k) {
    if ((byte(k) & 0xc0) != 0x80) return 0;
  }
  return length;
}

bool isValidUtf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8SequenceLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

bool isAcceptedText(std::string_view text) noexcept { return !firstTextFault(text); }

std::optional<std::size_t> firstTextFault(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = text[i] == '\0' ? 0 : utf8SequenceLength(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::nullopt;
}

std::optional<std::string> textProblem(std::string_view text) {
  const std::optional<std::size_t> fault = firstTextFault(text);
  if (!fault) return std::nullopt;
  if (text[*fault] == '\0') return "holds a NUL character (at byte " + std::to_string(*fault) + ")";
  char hex[5];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[*fault]));
  return "is not valid UTF-8 (byte " + std::string(hex) + " at offset " + std::to_string(*fault) +
         ")";
}

std::optional<std::size_t> firstEscapedNul(std::string_view json) noexcept {
  constexpr std::string_view kNul = "\\u0000";
  for (std::size_t at = json.find(kNul); at != std::string_view::npos;
       at = json.find(kNul, at + 1)) {
    std::size_t run = at;  // "\\u0000" is a backslash followed by the text u0000
    while (run > 0 && json[run - 1] == '\\') --run;
    if ((at - run) % 2 == 0) return at;
  }
  return std::nullopt;
}

std::string toValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8SequenceLength(text, i);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

}  // namespace telemetry
