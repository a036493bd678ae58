// Returns text that is not JSON.
#include <telemetry/plugin/plugin.hpp>

namespace {
class InvalidJsonProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value("{\"vendor\": oops");
  }
};
}  // namespace

TELEMETRY_PLUGIN(InvalidJsonProbe, "mock-invalid-json", "1.0.0",
                 "/product/internals/application-server", "returns broken JSON")
