#include "plugins/plugin_file_safety.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace telemetry {
namespace {

namespace fs = std::filesystem;

std::string userName(uid_t uid) {
  std::vector<char> buffer(4096);
  passwd entry{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr) {
    return std::string(found->pw_name) + " (uid " + std::to_string(uid) + ")";
  }
  return "uid " + std::to_string(uid);
}

/// Why the file or directory `what` at `path` is unsafe, or nullopt.
std::optional<std::string> check(const fs::path& path, const std::string& what) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    return "cannot check " + what + " " + path.string() + ": " + std::strerror(errno);
  }
  if ((status.st_mode & S_IWOTH) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
    return what + " " + path.string() + " is world-writable (mode " + mode + ")";
  }
  if (status.st_uid != 0 && status.st_uid != ::geteuid()) {
    return what + " " + path.string() + " is owned by " + userName(status.st_uid) +
           ", neither root nor the user running the host";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> whyUnsafe(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return file.string() + " is not a regular file";
  fs::path directory = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::vector<std::pair<fs::path, std::string>> checks = {{file, "file"}, {directory, "directory"}};
  if (fs::is_symlink(file, ec)) {
    fs::path real = fs::canonical(file, ec);
    if (ec) return "cannot resolve " + file.string() + ": " + ec.message();
    checks.emplace_back(real.parent_path(), "directory");
  }
  for (const auto& [path, what] : checks) {
    if (auto why = check(path, what)) return why;
  }
  return std::nullopt;
}

}  // namespace telemetry
