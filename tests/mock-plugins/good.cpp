// Answers with its settings echoed into a database section, so tests see settings arrive;
// logs the host fact "echo" when there is one, so tests see facts arrive.
#include <telemetry/plugin/plugin.hpp>

namespace {
class GoodProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context& context) override {
    context.log(telemetry::plugin::LogLevel::info, "collecting");
    if (const std::string* echo = context.fact("echo")) {
      context.log(telemetry::plugin::LogLevel::info, "fact echo=" + *echo);
    }
    return telemetry::plugin::Result::value(R"({"vendor":"mock","version":"1.0 )" +
                                            std::to_string(context.settings().size()) + R"("})");
  }
};
}  // namespace

TELEMETRY_PLUGIN(GoodProbe, "mock-good", "1.0.0", "/product/internals/database", "always answers")
