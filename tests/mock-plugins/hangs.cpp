// Never answers and ignores SIGTERM, so only SIGKILL ends it.
#include <chrono>
#include <csignal>
#include <thread>

#include <telemetry/plugin/plugin.hpp>

namespace {
class HangingProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    std::signal(SIGTERM, SIG_IGN);
    while (true) std::this_thread::sleep_for(std::chrono::hours(1));
  }
};
}  // namespace

TELEMETRY_PLUGIN(HangingProbe, "mock-hangs", "1.0.0", "/product/internals/mock-hangs",
                 "hangs forever, ignoring SIGTERM")
