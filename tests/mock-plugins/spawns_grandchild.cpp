// Forks a grandchild that inherits every descriptor and sleeps forever, then answers at
// once: the host must neither wait for the grandchild's pipes to close nor leave it behind.
// Settings {"pid-file": PATH} make it write the grandchild's pid there.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <telemetry/plugin/plugin.hpp>

namespace {
class GrandchildProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context& context) override {
    pid_t pid = ::fork();
    if (pid == 0) {
      while (true) ::pause();
    }
    if (pid < 0) return telemetry::plugin::Result::error("fork failed");
    // Settings are {"pid-file":"PATH"}; parsed by hand to keep this mock free of dependencies.
    const std::string& s = context.settings();
    auto key = s.find("\"pid-file\"");
    if (key != std::string::npos) {
      auto open = s.find('"', s.find(':', key));
      auto close = s.find('"', open + 1);
      std::ofstream(s.substr(open + 1, close - open - 1)) << pid << '\n';
    }
    return telemetry::plugin::Result::value(R"({"grandchild":)" + std::to_string(pid) + "}");
  }
};
}  // namespace

TELEMETRY_PLUGIN(GrandchildProbe, "mock-spawns-grandchild", "1.0.0",
                 "/product/internals/mock-spawns-grandchild",
                 "leaves a grandchild holding its pipes open")
