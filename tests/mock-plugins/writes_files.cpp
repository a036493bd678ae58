// Tries to create a file at each path of settings {"paths": "A|B|..."} and one beside its own
// plugin file, and answers what happened: {"written": N, "errors": "A: Permission denied|..."}.
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <telemetry/plugin/plugin.hpp>

namespace {

std::string ownDirectory() {
  Dl_info info{};
  ::dladdr(reinterpret_cast<const void*>(&ownDirectory), &info);
  return std::filesystem::path(info.dli_fname).parent_path().string();
}

class WritesFilesProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context& context) override {
    // Settings are {"paths": "A|B"}; parsed by hand to keep this mock free of dependencies.
    const std::string& s = context.settings();
    auto open = s.find('"', s.find(':', s.find("\"paths\"")));
    std::string list = s.substr(open + 1, s.find('"', open + 1) - open - 1);
    std::vector<std::string> paths = {ownDirectory() + "/mock-writes-files.out"};
    for (std::size_t start = 0; start <= list.size();) {
      std::size_t bar = std::min(list.find('|', start), list.size());
      if (bar > start) paths.push_back(list.substr(start, bar - start));
      start = bar + 1;
    }
    int written = 0;
    std::string errors;
    for (const std::string& path : paths) {
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd >= 0 && ::write(fd, "x", 1) == 1) ++written;
      if (fd < 0) errors += (errors.empty() ? "" : "|") + path + ": " + std::strerror(errno);
      if (fd >= 0) ::close(fd);
    }
    return telemetry::plugin::Result::value(R"({"written":)" + std::to_string(written) +
                                            R"(,"errors":")" + errors + "\"}");
  }
};

}  // namespace

TELEMETRY_PLUGIN(WritesFilesProbe, "mock-writes-files", "1.0.0",
                 "/product/internals/mock-writes-files", "tries to create files")
