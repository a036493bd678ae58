// The REST API users (`api.users-file`): who may log in with HTTP Basic, with which
// password hash, in which groups.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace telemetry::api {

struct ApiUser {
  std::string name;
  std::string passwordHash;  ///< see password_hash.hpp
  std::vector<std::string> groups;

  bool inGroup(std::string_view group) const;
};

/// Why `name` cannot be an API user name (empty, holds ':' which HTTP Basic splits on, or a
/// control character), or nullopt when it can.
std::optional<std::string> whyInvalidUserName(std::string_view name);

/// Why `group` cannot be a group name (empty or a control character), or nullopt.
std::optional<std::string> whyInvalidGroupName(std::string_view group);

/// The users file, read on construction and again whenever it changes on disk.
///
///   users:
///     - name: admin
///       password: pbkdf2-sha256$600000$<salt>$<hash>
///       groups: [telemetry-admin]
///
/// Thread-safe. A missing file means no users; a bad file throws telemetry::ConfigError on
/// construction, and on a later reload is logged while the previous users stay.
class UserDirectory {
 public:
  explicit UserDirectory(std::filesystem::path file);

  UserDirectory(const UserDirectory&) = delete;
  UserDirectory& operator=(const UserDirectory&) = delete;

  /// The user if `password` is theirs, else nullopt. Costs one PBKDF2 verification also for
  /// an unknown name (so timing does not tell which users exist), except when the same
  /// name and password were verified in the last minutes: HTTP Basic sends them with every
  /// request, and each verification takes a sizeable fraction of a second on purpose.
  std::optional<ApiUser> authenticate(std::string_view name, std::string_view password);

  const std::filesystem::path& file() const { return file_; }

  /// How many users the file currently holds (after a reload check).
  std::size_t userCount();

 private:
  /// What tells a changed file apart: rename, rewrite, chmod.
  struct Stamp {
    int error = 0;  ///< errno of stat(), e.g. ENOENT
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    std::timespec modified{};
    std::timespec changed{};
    bool operator==(const Stamp& other) const;
  };
  using CacheKey = std::string;  ///< HMAC-SHA256 of name and password under cacheSecret_
  using Clock = std::chrono::steady_clock;

  static Stamp stampOf(const struct stat& status);
  /// Reads the file into users_; throws (and changes nothing) when it is bad.
  void load();
  void reloadIfChangedLocked();
  CacheKey cacheKey(std::string_view name, std::string_view password) const;
  void rememberLocked(CacheKey key);

  const std::filesystem::path file_;
  std::string cacheSecret_;  ///< random, per object; written only by the constructor

  std::mutex mutex_;
  std::map<std::string, ApiUser, std::less<>> users_;
  std::string dummyHash_;  ///< verified for unknown names
  Stamp stamp_;
  std::uint64_t generation_ = 0;  ///< bumped on every reload
  std::map<CacheKey, Clock::time_point> verified_;
};

/// Adds `user` to the users file `file`, or replaces the user of that name, keeping the
/// others. Writes a temporary file (mode 0600) beside it and renames it into place, so a
/// reader sees the old or the new file, never half of one; creates the file and its
/// directory when missing. Throws telemetry::ConfigError when the existing file is bad,
/// std::invalid_argument for a bad name, group or hash, std::system_error on I/O errors.
void addOrUpdateUser(const std::filesystem::path& file, const ApiUser& user);

}  // namespace telemetry::api
