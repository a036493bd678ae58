// Fills the webapps array; with its settings it can claim more, to test the merge rule.
#include <telemetry/plugin/plugin.hpp>

namespace {
class ArrayProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value(R"(["cockpit", "admin"])");
  }
};
}  // namespace

TELEMETRY_PLUGIN(ArrayProbe, "mock-array", "1.0.0", "/product/internals/webapps",
                 "webapps cockpit and admin")
