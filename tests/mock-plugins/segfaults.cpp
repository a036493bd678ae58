// Dereferences a null pointer in collect: in process mode this costs its section only.
#include <telemetry/plugin/plugin.hpp>

namespace {
class SegfaultingProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    // Volatile both ways: the compiler can neither drop the store nor make it a trap.
    volatile int* volatile address = nullptr;
    *address = 42;
    return telemetry::plugin::Result::value("{}");
  }
};
}  // namespace

TELEMETRY_PLUGIN(SegfaultingProbe, "mock-segfaults", "1.0.0", "/product/internals/mock-segfaults",
                 "crashes with SIGSEGV")
