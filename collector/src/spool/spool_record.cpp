#include "spool/spool_record.hpp"

#include <array>
#include <cstdint>

namespace telemetry::collector {
namespace {

constexpr unsigned char kVersion = 1;

// The text fields in their order on disk; adding one needs a new version byte.
constexpr std::array<std::string ReceivedReport::*, 12> kTexts{
    &ReceivedReport::installation,
    &ReceivedReport::idempotencyKey,
    &ReceivedReport::ipHash,
    &ReceivedReport::payloadDigest,
    &ReceivedReport::payload,
    &ReceivedReport::productVersion,
    &ReceivedReport::edition,
    &ReceivedReport::databaseVendor,
    &ReceivedReport::applicationServerVendor,
    &ReceivedReport::jdk,
    &ReceivedReport::integrations,
    &ReceivedReport::webapps};

void putNumber(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

class Cursor {
 public:
  explicit Cursor(std::string_view bytes) : bytes_(bytes) {}

  std::uint64_t number(std::size_t bytes) {
    need(bytes);
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
      value |= std::uint64_t{static_cast<unsigned char>(bytes_[at_ + i])} << (8 * i);
    }
    at_ += bytes;
    return value;
  }

  bool flag() {
    const auto value = number(1);
    if (value > 1) throw SpoolFormatError("a spooled record's flag is neither 0 nor 1");
    return value == 1;
  }

  std::string text() {
    const auto length = number(4);
    need(length);
    std::string out(bytes_.substr(at_, length));
    at_ += length;
    return out;
  }

  bool atEnd() const { return at_ == bytes_.size(); }

 private:
  void need(std::uint64_t bytes) const {
    if (bytes > bytes_.size() - at_) throw SpoolFormatError("a spooled record ends too early");
  }

  std::string_view bytes_;
  std::size_t at_ = 0;
};

}  // namespace

std::string SpoolRecord::encode(const ReceivedReport& report) {
  std::size_t size = 11;
  for (auto field : kTexts) size += 4 + (report.*field).size();
  std::string out;
  out.reserve(size);
  out.push_back(static_cast<char>(kVersion));
  putNumber(out, static_cast<std::uint64_t>(report.receivedAt), 8);
  out.push_back(report.initial ? 1 : 0);
  out.push_back(report.telemetryEnabled ? 1 : 0);
  for (auto field : kTexts) {
    putNumber(out, (report.*field).size(), 4);
    out += report.*field;
  }
  return out;
}

ReceivedReport SpoolRecord::decode(std::string_view bytes) {
  Cursor cursor(bytes);
  if (cursor.number(1) != kVersion) throw SpoolFormatError("unknown spooled record version");
  ReceivedReport report;
  report.receivedAt = static_cast<std::int64_t>(cursor.number(8));
  report.initial = cursor.flag();
  report.telemetryEnabled = cursor.flag();
  for (auto field : kTexts) report.*field = cursor.text();
  if (!cursor.atEnd()) throw SpoolFormatError("a spooled record has bytes after its last field");
  return report;
}

}  // namespace telemetry::collector
