// A valid plugin that needs a library whose constructor segfaults (crashing_library.cpp):
// loading it crashes, so only a catalog that loads it in a child survives.
#include <telemetry/plugin/plugin.hpp>

extern "C" int mockCrashingLibraryAnswer();

namespace {
class ConstructorSegfaultsProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value(std::to_string(mockCrashingLibraryAnswer()));
  }
};
}  // namespace

TELEMETRY_PLUGIN(ConstructorSegfaultsProbe, "mock-constructor-segfaults", "1.0.0",
                 "/product/internals/mock-constructor-segfaults",
                 "needs a library that crashes when loaded")
