// Ends its process with exit(0) from collect, without answering.
#include <cstdlib>

#include <telemetry/plugin/plugin.hpp>

namespace {
class ExitingProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override { std::exit(0); }
};
}  // namespace

TELEMETRY_PLUGIN(ExitingProbe, "mock-exits", "1.0.0", "/product/internals/mock-exits",
                 "calls exit(0)")
