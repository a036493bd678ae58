// Writes a result frame without its kind byte straight onto the answer channel (descriptor
// 3 in a telemetry-probe child), then answers properly: the host must refuse the forged
// frame as malformed, not throw.
#include <unistd.h>

#include <string>

#include <telemetry/plugin/plugin.hpp>

namespace {
class ForgesEmptyResultProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    const std::string frame("R\0\0\0\0", 5);  // type 'R', payload length 0
    if (::write(3, frame.data(), frame.size()) < 0) {
      return telemetry::plugin::Result::error("not in a telemetry-probe child");
    }
    return telemetry::plugin::Result::value(R"({"forged":true})");
  }
};
}  // namespace

TELEMETRY_PLUGIN(ForgesEmptyResultProbe, "mock-forges-empty-result", "1.0.0",
                 "/product/internals/mock-forges-empty-result",
                 "writes an empty result frame, then answers")
