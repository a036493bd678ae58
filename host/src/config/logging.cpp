#include "config/logging.hpp"

#include <algorithm>
#include <cstdio>

#include "report/utf8_text.hpp"

namespace telemetry {
namespace {

void appendEscaped(std::string& out, const char* format, unsigned value) {
  char escaped[8];
  std::snprintf(escaped, sizeof escaped, format, value);
  out += escaped;
}

}  // namespace

std::string printable(std::string_view text, std::size_t maxBytes) {
  std::string out;
  out.reserve(std::min(text.size(), maxBytes) + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (out.size() >= maxBytes) {
      out += " [" + std::to_string(text.size() - i) + " more bytes]";
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (std::size_t length = c >= 0x80 ? utf8SequenceLength(text, i) : 0; length > 0) {
      // U+0080..U+009F (C2 80..C2 9F) are C1 controls: CSI (U+009B) starts an escape code.
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (c == 0xc2 && next < 0xa0) {
        appendEscaped(out, "\\u%04x", next);
      } else {
        out.append(text.substr(i, length));
      }
      i += length - 1;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      appendEscaped(out, "\\x%02x", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace telemetry
