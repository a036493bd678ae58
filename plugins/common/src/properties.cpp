#include "telemetry/plugins/properties.hpp"

#include <cstdint>
#include <vector>

namespace telemetry::plugins {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void appendUtf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// Joins natural lines ending in an odd number of backslashes into logical lines and
// drops comments and blank lines, as Properties.LineReader does.
std::vector<std::string> logicalLines(std::string_view text) {
  std::vector<std::string> lines;
  std::string current;
  bool continuing = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (end < text.size() && text[end] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;

    std::size_t first = 0;
    while (first < line.size() && isBlank(line[first])) ++first;
    line.remove_prefix(first);
    if (!continuing && (line.empty() || line.front() == '#' || line.front() == '!')) {
      if (end >= text.size()) break;
      continue;
    }
    std::size_t backslashes = 0;
    while (backslashes < line.size() && line[line.size() - 1 - backslashes] == '\\') {
      ++backslashes;
    }
    continuing = backslashes % 2 == 1;
    current.append(continuing ? line.substr(0, line.size() - 1) : line);
    if (!continuing || end >= text.size()) {
      lines.push_back(std::move(current));
      current.clear();
      continuing = false;
    }
    if (end >= text.size()) break;
  }
  return lines;
}

std::string unescape(std::string_view raw) {
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      out += raw[i];
      continue;
    }
    char c = raw[++i];
    switch (c) {
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        std::uint32_t code = 0;
        std::size_t digits = 0;
        while (digits < 4 && i + 1 < raw.size() && hexValue(raw[i + 1]) >= 0) {
          code = code * 16 + static_cast<std::uint32_t>(hexValue(raw[++i]));
          ++digits;
        }
        // A high surrogate followed by an escaped low surrogate is one code point.
        if (digits == 4 && code >= 0xD800 && code < 0xDC00 && i + 6 < raw.size() &&
            raw.substr(i + 1, 2) == "\\u") {
          std::uint32_t low = 0;
          bool valid = true;
          for (std::size_t k = 3; k < 7; ++k) {
            int v = hexValue(raw[i + k]);
            valid = valid && v >= 0;
            low = low * 16 + static_cast<std::uint32_t>(v < 0 ? 0 : v);
          }
          if (valid && low >= 0xDC00 && low < 0xE000) {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        appendUtf8(out, code);
        break;
      }
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

Properties Properties::parse(std::string_view text) {
  Properties properties;
  for (const std::string& line : logicalLines(text)) {
    std::size_t keyEnd = 0;
    while (keyEnd < line.size()) {
      char c = line[keyEnd];
      if (c == '\\') {
        keyEnd += 2;
        continue;
      }
      if (c == '=' || c == ':' || isBlank(c)) break;
      ++keyEnd;
    }
    keyEnd = std::min(keyEnd, line.size());
    std::size_t valueStart = keyEnd;
    while (valueStart < line.size() && isBlank(line[valueStart])) ++valueStart;
    if (valueStart < line.size() && (line[valueStart] == '=' || line[valueStart] == ':')) {
      ++valueStart;
    }
    while (valueStart < line.size() && isBlank(line[valueStart])) ++valueStart;
    std::string_view view(line);
    properties.values_.insert_or_assign(unescape(view.substr(0, keyEnd)),
                                        unescape(view.substr(valueStart)));
  }
  return properties;
}

std::optional<std::string> Properties::get(std::string_view key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace telemetry::plugins
