// Throws something that is not a std::exception: the export wrapper must contain it.
#include <telemetry/plugin/plugin.hpp>

namespace {
struct NotAStdException {};
class ThrowingProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    throw NotAStdException{};
  }
};
}  // namespace

TELEMETRY_PLUGIN(ThrowingProbe, "mock-throws", "1.0.0", "/product/internals/jdk",
                 "throws from collect")
