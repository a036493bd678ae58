// Calls abort() in collect, as a failed assertion would.
#include <cstdlib>

#include <telemetry/plugin/plugin.hpp>

namespace {
class AbortingProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override { std::abort(); }
};
}  // namespace

TELEMETRY_PLUGIN(AbortingProbe, "mock-aborts", "1.0.0", "/product/internals/mock-aborts",
                 "aborts (SIGABRT)")
