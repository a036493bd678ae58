// Allocates and touches memory until something stops it.
#include <cstring>
#include <memory>
#include <vector>

#include <telemetry/plugin/plugin.hpp>

namespace {
class AllocatingProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    constexpr std::size_t kChunk = std::size_t{16} << 20;
    std::vector<std::unique_ptr<char[]>> chunks;
    volatile char sum = 0;  // read back, so the allocations cannot be optimised away
    while (true) {
      chunks.push_back(std::make_unique_for_overwrite<char[]>(kChunk));
      std::memset(chunks.back().get(), 1, kChunk);
      sum = static_cast<char>(sum + chunks.back()[kChunk - 1]);
    }
  }
};
}  // namespace

TELEMETRY_PLUGIN(AllocatingProbe, "mock-allocates", "1.0.0", "/product/internals/mock-allocates",
                 "allocates memory without limit")
