// A valid plugin whose static initialiser never returns: loading it hangs the process that
// loads it until someone kills it.
#include <unistd.h>

#include <telemetry/plugin/plugin.hpp>

namespace {
class ConstructorHangsProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value("{}");
  }
};

const int hangsWhenLoaded = [] {
  for (;;) ::pause();
  return 0;
}();
}  // namespace

TELEMETRY_PLUGIN(ConstructorHangsProbe, "mock-constructor-hangs", "1.0.0",
                 "/product/internals/mock-constructor-hangs", "never returns from loading")
