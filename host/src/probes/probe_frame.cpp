#include "probes/probe_frame.hpp"

#include <cstdint>

namespace telemetry {

std::string ProbeFrame::encode() const {
  auto length = static_cast<std::uint32_t>(payload.size());
  std::string bytes;
  bytes.reserve(kHeaderBytes + payload.size());
  bytes += static_cast<char>(type);
  for (int shift = 0; shift < 32; shift += 8) bytes += static_cast<char>((length >> shift) & 0xff);
  bytes += payload;
  return bytes;
}

std::optional<std::pair<plugin::LogLevel, std::string_view>> logLineOf(const ProbeFrame& frame) {
  const std::string& payload = frame.payload;
  if (frame.type != ProbeFrame::Type::log || payload.empty() || payload[0] < '0' ||
      payload[0] > '3') {
    return std::nullopt;
  }
  return std::pair{static_cast<plugin::LogLevel>(payload[0] - '0'),
                   std::string_view(payload).substr(1)};
}

std::optional<plugin::Result> resultOf(const ProbeFrame& frame) {
  const std::string& payload = frame.payload;
  if (frame.type != ProbeFrame::Type::result || payload.empty()) return std::nullopt;
  std::string text = payload.substr(1);
  switch (payload[0]) {
    case '0':
      return plugin::Result::value(std::move(text));
    case '1':
      return plugin::Result::notApplicable(std::move(text));
    case '2':
      return plugin::Result::error(std::move(text));
    default:
      return std::nullopt;
  }
}

}  // namespace telemetry
