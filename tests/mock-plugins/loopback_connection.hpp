// A probe that connects to 127.0.0.1:PORT (settings {"port": N}) and says whether it could:
// the same code with and without the network need declared (connects_*.cpp).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <telemetry/plugin/plugin.hpp>

namespace mock {

class LoopbackConnectionProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context& context) override {
    // Settings are {"port": N}; parsed by hand to keep this mock free of dependencies.
    const std::string& s = context.settings();
    auto colon = s.find(':', s.find("\"port\""));
    if (colon == std::string::npos) return telemetry::plugin::Result::error("no port");
    int port = std::stoi(s.substr(colon + 1));
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
      return telemetry::plugin::Result::error(std::string("socket: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    std::string error = rc == 0 ? std::string() : std::strerror(errno);
    ::close(fd);
    if (rc != 0) return telemetry::plugin::Result::error("connect: " + error);
    return telemetry::plugin::Result::value(R"({"connected":true})");
  }
};

}  // namespace mock
