// A valid plugin whose static initialiser calls exit(0): loading it ends the process that
// loads it, quietly and successfully.
#include <cstdlib>

#include <telemetry/plugin/plugin.hpp>

namespace {
class ConstructorExitsProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value("{}");
  }
};

const int exitsWhenLoaded = [] {
  std::exit(0);
  return 0;
}();
}  // namespace

TELEMETRY_PLUGIN(ConstructorExitsProbe, "mock-constructor-exits", "1.0.0",
                 "/product/internals/mock-constructor-exits", "calls exit(0) when loaded")
