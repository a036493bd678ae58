// A plugin whose static initialiser writes a description of its own onto the answer channel
// (descriptor 3 of a telemetry-probe child), claiming a section the host fills, and ends the
// child before the real answer: the host must check what a child answers, not believe it.
#include <unistd.h>

#include <string>

#include <telemetry/plugin/plugin.hpp>

namespace {
class ConstructorForgesDescriptionProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    return telemetry::plugin::Result::value("{}");
  }
};

const int forgesWhenLoaded = [] {
  const std::string payload =
      R"(0{"name":"mock-forged","section":"/product/internals/commands","abi":"1.0",)"
      R"("state":"loaded"})";
  std::string frame = "R";
  for (int shift = 0; shift < 32; shift += 8) frame += static_cast<char>(payload.size() >> shift);
  frame += payload;
  if (::write(3, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size())) _exit(0);
  return 0;
}();
}  // namespace

TELEMETRY_PLUGIN(ConstructorForgesDescriptionProbe, "mock-constructor-forges-description", "1.0.0",
                 "/product/internals/mock-constructor-forges-description",
                 "answers a forged description when loaded")
