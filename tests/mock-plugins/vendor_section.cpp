// A vendor's own section beside the spec's ones.
#include <telemetry/plugin/plugin.hpp>

namespace {
class VendorProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value(R"({"cluster-nodes": 3})");
  }
};
}  // namespace

TELEMETRY_PLUGIN(VendorProbe, "mock-vendor", "1.0.0", "/product/internals/acme~1cluster",
                 "a vendor section whose name needs pointer escaping")
