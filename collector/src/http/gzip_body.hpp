// Request bodies sent with Content-Encoding: gzip, inflated under a size limit.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace telemetry::collector {

/// The inflated body would be larger than the limit: the answer is 413.
class GzipBodyTooLarge : public std::length_error {
 public:
  GzipBodyTooLarge(const std::string& what, std::size_t inflated)
      : std::length_error(what), inflated_(inflated) {}
  /// The bytes inflated when it stopped: never more than the limit plus one.
  std::size_t inflated() const { return inflated_; }

 private:
  std::size_t inflated_;
};

/// Not one complete gzip member (corrupt, truncated, a bad checksum, bytes after its end):
/// the answer is 400.
class GzipBodyMalformed : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// zlib does the decoding; this only bounds it. Inflating stops as soon as the output
/// passes `limit`, so a small bomb costs at most `limit` bytes of memory and their work.
/// Not Poco::InflatingInputStream: it ends a truncated body quietly, as if it were short.
class GzipBody {
 public:
  /// The inflated bytes of `gzip`, at most `limit` of them. Throws GzipBodyTooLarge or
  /// GzipBodyMalformed.
  static std::string inflate(std::string_view gzip, std::size_t limit);
};

}  // namespace telemetry::collector
