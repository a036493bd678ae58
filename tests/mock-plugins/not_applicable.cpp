// Says its section does not apply, like an application-server probe in an embedded setup.
#include <telemetry/plugin/plugin.hpp>

namespace {
class NotApplicableProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::notApplicable("no application server (embedded engine)");
  }
};
}  // namespace

TELEMETRY_PLUGIN(NotApplicableProbe, "mock-not-applicable", "1.0.0",
                 "/product/internals/application-server", "never applies")
