// Starts a grandchild that calls setsid() (leaving the probe's process group, which the host
// kills) and sleeps forever, then answers {"grandchild": PID, "setsid": "ok" | error}. With
// settings {"hang": true} it logs that answer and never returns, so the host kills it.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <telemetry/plugin/plugin.hpp>

namespace {

class EscapesSessionProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context& context) override {
    int report[2];
    if (::pipe(report) != 0) return telemetry::plugin::Result::error("pipe failed");
    pid_t child = ::fork();
    if (child < 0) return telemetry::plugin::Result::error("fork failed");
    if (child == 0) {
      // The child leaves the session, starts the grandchild and exits, orphaning it.
      int setsidError = ::setsid() < 0 ? errno : 0;
      pid_t grandchild = ::fork();
      if (grandchild == 0) {
        while (true) ::pause();
      }
      int message[2] = {grandchild, setsidError};
      (void)!::write(report[1], message, sizeof message);
      _exit(0);
    }
    ::close(report[1]);
    int message[2] = {0, 0};
    bool read = ::read(report[0], message, sizeof message) == sizeof message;
    ::close(report[0]);
    ::waitpid(child, nullptr, 0);
    if (!read) return telemetry::plugin::Result::error("no grandchild");
    std::string setsid = message[1] == 0 ? "ok" : std::strerror(message[1]);
    std::string answer =
        R"({"grandchild":)" + std::to_string(message[0]) + R"(,"setsid":")" + setsid + "\"}";
    if (context.settings().find("\"hang\"") != std::string::npos) {
      context.log(telemetry::plugin::LogLevel::warn, answer);
      while (true) ::pause();
    }
    return telemetry::plugin::Result::value(answer);
  }
};

}  // namespace

TELEMETRY_PLUGIN(EscapesSessionProbe, "mock-escapes-session", "1.0.0",
                 "/product/internals/mock-escapes-session",
                 "leaves a setsid() grandchild that sleeps")
