// One report as the spool keeps it on disk, between its 202 and its commit in the store.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "report/received_report.hpp"

namespace telemetry::collector {

/// A spooled record that cannot be read back: damaged on disk or written by another format.
class SpoolFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Every field of a ReceivedReport, so draining never parses or hashes a report again.
/// Layout: version byte, receivedAt (8 bytes LE), initial and telemetryEnabled (1 byte
/// each), then each text field as a 4-byte LE length and its bytes.
class SpoolRecord {
 public:
  static std::string encode(const ReceivedReport& report);
  /// Throws SpoolFormatError on anything encode() did not write.
  static ReceivedReport decode(std::string_view bytes);
};

}  // namespace telemetry::collector
