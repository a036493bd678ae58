// Writes 100 MiB to stdout before answering.
#include <unistd.h>

#include <string>

#include <telemetry/plugin/plugin.hpp>

namespace {
class FloodingProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    const std::string block(64 * 1024, 'x');
    for (int i = 0; i < 1600; ++i) {
      if (::write(STDOUT_FILENO, block.data(), block.size()) < 0) break;
    }
    return telemetry::plugin::Result::value(R"({"flooded":true})");
  }
};
}  // namespace

TELEMETRY_PLUGIN(FloodingProbe, "mock-floods-stdout", "1.0.0",
                 "/product/internals/mock-floods-stdout", "writes 100 MiB to stdout")
