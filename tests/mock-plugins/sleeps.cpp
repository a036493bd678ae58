// Sleeps for the "ms" of its settings before answering, to test deadlines.
#include <chrono>
#include <string>
#include <thread>

#include <telemetry/plugin/plugin.hpp>

namespace {
class SleepingProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context& context) override {
    // Settings are {"ms": N}; parsed by hand to keep this mock free of dependencies.
    const std::string& s = context.settings();
    auto colon = s.find(':');
    int ms = colon == std::string::npos ? 0 : std::stoi(s.substr(colon + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return telemetry::plugin::Result::value(R"({"vendor":"sleepy","version":"1"})");
  }
};
}  // namespace

TELEMETRY_PLUGIN(SleepingProbe, "mock-sleeps", "1.0.0", "/product/internals/application-server",
                 "answers after settings.ms milliseconds")
