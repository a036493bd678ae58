// A HyperLogLog sketch: the number of distinct strings seen, in 16 KiB whatever that number,
// to within about 0.8 % (precision 14). Unique task workers fall back to it once there are
// more than can be counted exactly.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace telemetry {

class HyperLogLog {
 public:
  static constexpr int kPrecision = 14;
  static constexpr std::size_t kRegisters = std::size_t{1} << kPrecision;

  void add(std::string_view value);
  /// After merging, the sketch counts what either counted.
  void merge(const HyperLogLog& other);
  /// The estimated number of distinct values added.
  double estimate() const;

  /// Hex text of the registers, for storing in any SQL database.
  std::string toHex() const;
  /// nullopt when `hex` is not a sketch written by toHex().
  static std::optional<HyperLogLog> fromHex(std::string_view hex);

 private:
  std::array<std::uint8_t, kRegisters> registers_{};
};

}  // namespace telemetry
