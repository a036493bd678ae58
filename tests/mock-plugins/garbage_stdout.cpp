// Prints bytes that look like the host's frames, control characters and binary noise on
// stdout and stderr, then answers properly: none of it may spoil the answer.
#include <unistd.h>

#include <string>

#include <telemetry/plugin/plugin.hpp>

namespace {
class GarbageProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    using namespace std::string_literals;
    std::string garbage = "R\x05\x00\x00\x00"s + "0{}\x1b[31mFAKE LOG LINE\n";
    for (int byte = 0; byte < 256; ++byte) garbage += static_cast<char>(byte);
    garbage += "\nnot json at all {\n";
    for (int fd : {STDOUT_FILENO, STDERR_FILENO}) {
      if (::write(fd, garbage.data(), garbage.size()) < 0) break;
    }
    return telemetry::plugin::Result::value(R"({"clean":true})");
  }
};
}  // namespace

TELEMETRY_PLUGIN(GarbageProbe, "mock-garbage-stdout", "1.0.0",
                 "/product/internals/mock-garbage-stdout", "prints garbage, then answers")
