#include "api/auth/user_directory.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include <yaml-cpp/yaml.h>

#include "api/auth/password_hash.hpp"
#include "config/logging.hpp"
#include "probes/file_descriptor.hpp"
#include "telemetry/config_error.hpp"
#include "telemetry/plugin/suggest.hpp"
#include "telemetry/settings/did_you_mean.hpp"
#include "telemetry/settings/yaml_document.hpp"

namespace telemetry::api {
namespace {

namespace fs = std::filesystem;

constexpr auto kCacheLifetime = std::chrono::minutes(5);
constexpr std::size_t kCacheCapacity = 1024;
constexpr std::size_t kMaxNameLength = 256;

std::shared_ptr<spdlog::logger> apiLog() { return telemetry::logger("telemetry.api"); }

std::optional<std::string> whyInvalidName(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxNameLength) {
    return "is longer than " + std::to_string(kMaxNameLength) + " characters";
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return "holds a control character";
  }
  return std::nullopt;
}

using settings::lineOf;

/// The users file as read through one descriptor, so its status and text belong together.
struct UsersFileContent {
  struct stat status {};
  std::string text;
};

/// Reads `file`; nullopt when it does not exist. Refuses anything but a regular file that
/// only its owner can read and write.
std::optional<UsersFileContent> readUsersFile(const fs::path& file) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    throw ConfigError(file, 0, std::string("cannot read the users file: ") + std::strerror(errno));
  }
  UsersFileContent content;
  if (::fstat(fd.get(), &content.status) != 0) {
    throw ConfigError(file, 0, std::string("cannot check the users file: ") + std::strerror(errno));
  }
  if (!S_ISREG(content.status.st_mode)) throw ConfigError(file, 0, "the users file is not a file");
  if ((content.status.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(content.status.st_mode & 07777));
    throw ConfigError(file, 0,
                      std::string("the users file is readable or writable by group or others "
                                  "(mode ") +
                          mode + "), but it holds password hashes; fix it with: chmod 600 '" +
                          file.string() + "'");
  }
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw ConfigError(file, 0,
                        std::string("cannot read the users file: ") + std::strerror(errno));
    }
    if (n == 0) break;
    content.text.append(buffer, static_cast<std::size_t>(n));
  }
  return content;
}

/// Checks one mapping's keys against those it may hold.
void checkKeys(const fs::path& file, const YAML::Node& mapping,
               const std::vector<std::string_view>& keys, const std::string& where) {
  for (const auto& entry : mapping) {
    const std::string& key = entry.first.Scalar();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw ConfigError(file, lineOf(entry.first),
                        "unknown key '" + key + "'" + where + settings::didYouMean(key, keys));
    }
  }
}

bool isSet(const YAML::Node& node) { return node && !node.IsNull(); }

ApiUser parseUser(const fs::path& file, const YAML::Node& item) {
  auto fail = [&](const YAML::Node& at, const std::string& message) {
    throw ConfigError(file, lineOf(at), message);
  };
  if (!item.IsMap()) {
    fail(item, "each entry of 'users' must be a mapping of name, password and groups");
  }
  checkKeys(file, item, {"name", "password", "groups"}, " of a user");

  ApiUser user;
  YAML::Node name = item["name"];
  if (!isSet(name)) fail(item, "a user has no 'name'");
  if (!name.IsScalar()) fail(name, "'name' of a user must be a single value");
  user.name = name.Scalar();
  if (auto why = whyInvalidUserName(user.name)) fail(name, "user name '" + user.name + "' " + *why);

  YAML::Node password = item["password"];
  if (!isSet(password)) {
    fail(item, "user '" + user.name + "' has no 'password'; set one with 'telemetry user add " +
                   user.name + "'");
  }
  if (!password.IsScalar() || !passwordHashIterations(password.Scalar())) {
    fail(password, "'password' of user '" + user.name +
                       "' is not a password hash (pbkdf2-sha256$<iterations>$<salt>$<hash>, "
                       "1000 to 10000000 iterations); set it with 'telemetry user add " +
                       user.name + "'");
  }
  user.passwordHash = password.Scalar();

  YAML::Node groups = item["groups"];
  if (!isSet(groups)) return user;
  const std::string listMessage =
      "'groups' of user '" + user.name + "' must be a list of group names, e.g. [telemetry-admin]";
  if (!groups.IsSequence()) fail(groups, listMessage);
  for (const auto& group : groups) {
    if (!group.IsScalar()) fail(group, listMessage);
    if (auto why = whyInvalidGroupName(group.Scalar())) {
      fail(group, "group '" + group.Scalar() + "' of user '" + user.name + "' " + *why);
    }
    if (!user.inGroup(group.Scalar())) user.groups.push_back(group.Scalar());
  }
  return user;
}

/// The users in file order. Throws ConfigError naming the line and field of a problem.
std::vector<ApiUser> parseUsers(const std::string& text, const fs::path& file) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(file, e.mark.is_null() ? 0 : e.mark.line + 1, "invalid YAML: " + e.msg);
  }
  if (!isSet(root)) return {};
  if (!root.IsMap()) {
    throw ConfigError(file, lineOf(root), "the users file must be a mapping with the key 'users'");
  }
  checkKeys(file, root, {"users"}, "");
  YAML::Node list = root["users"];
  if (!isSet(list)) return {};
  if (!list.IsSequence()) {
    throw ConfigError(file, lineOf(list), "'users' must be a list of users ('- name: admin')");
  }
  std::vector<ApiUser> users;
  std::map<std::string, int, std::less<>> firstLine;
  for (const auto& item : list) {
    ApiUser user = parseUser(file, item);
    int line = lineOf(item["name"]);
    auto [seen, added] = firstLine.emplace(user.name, line);
    if (!added) {
      throw ConfigError(file, line,
                        "user '" + user.name + "' is listed twice (first on line " +
                            std::to_string(seen->second) + ")");
    }
    users.push_back(std::move(user));
  }
  return users;
}

std::string render(const std::vector<ApiUser>& users) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "users" << YAML::Value << YAML::BeginSeq;
  for (const auto& user : users) {
    out << YAML::BeginMap;
    out << YAML::Key << "name" << YAML::Value << user.name;
    out << YAML::Key << "password" << YAML::Value << user.passwordHash;
    out << YAML::Key << "groups" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& group : user.groups) out << group;
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  if (!out.good())
    throw std::runtime_error("cannot write the users as YAML: " + out.GetLastError());
  return "# REST API users of the telemetry host, written by 'telemetry user add'.\n"
         "# Passwords are salted PBKDF2-HMAC-SHA256 hashes; keep this file mode 0600.\n" +
         std::string(out.c_str()) + "\n";
}

[[noreturn]] void throwErrno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void writeAll(int fd, const std::string& text, const fs::path& file) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throwErrno("cannot write " + file.string());
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

bool ApiUser::inGroup(std::string_view group) const {
  return std::find(groups.begin(), groups.end(), group) != groups.end();
}

std::optional<std::string> whyInvalidUserName(std::string_view name) {
  if (name.find(':') != std::string_view::npos) {
    return "holds ':', which HTTP Basic authentication uses to separate name and password";
  }
  return whyInvalidName(name);
}

std::optional<std::string> whyInvalidGroupName(std::string_view group) {
  return whyInvalidName(group);
}

bool UserDirectory::Stamp::operator==(const Stamp& other) const {
  return error == other.error && device == other.device && inode == other.inode &&
         size == other.size && modified.tv_sec == other.modified.tv_sec &&
         modified.tv_nsec == other.modified.tv_nsec && changed.tv_sec == other.changed.tv_sec &&
         changed.tv_nsec == other.changed.tv_nsec;
}

UserDirectory::Stamp UserDirectory::stampOf(const struct stat& status) {
  Stamp stamp;
  stamp.device = status.st_dev;
  stamp.inode = status.st_ino;
  stamp.size = status.st_size;
  stamp.modified = status.st_mtim;
  stamp.changed = status.st_ctim;
  return stamp;
}

UserDirectory::UserDirectory(std::filesystem::path file)
    : file_(std::move(file)), cacheSecret_(32, '\0') {
  if (RAND_bytes(reinterpret_cast<unsigned char*>(cacheSecret_.data()),
                 static_cast<int>(cacheSecret_.size())) != 1) {
    throw std::runtime_error("cannot get random bytes from OpenSSL");
  }
  std::lock_guard lock(mutex_);
  load();
}

void UserDirectory::load() {
  auto content = readUsersFile(file_);
  std::vector<ApiUser> users;
  if (content) users = parseUsers(content->text, file_);

  stamp_ = content ? stampOf(content->status) : Stamp{.error = ENOENT};
  users_.clear();
  for (auto& user : users) users_.emplace(user.name, std::move(user));
  // Unknown names are checked against a hash as slow as the users' own.
  dummyHash_ = unmatchablePasswordHash(
      users_.empty() ? kDefaultPasswordIterations
                     : passwordHashIterations(users_.begin()->second.passwordHash)
                           .value_or(kDefaultPasswordIterations));
  ++generation_;
  verified_.clear();

  if (!content) {
    apiLog()->warn(
        "REST API users file {} does not exist: nobody can log in to the REST API; add a user "
        "with 'telemetry user add NAME --group telemetry-admin'",
        file_.string());
  } else if (users_.empty()) {
    apiLog()->warn(
        "REST API users file {} has no users: nobody can log in to the REST API; add a user "
        "with 'telemetry user add NAME --group telemetry-admin'",
        file_.string());
  } else {
    apiLog()->info("read {} REST API user(s) from {}", users_.size(), file_.string());
  }
}

void UserDirectory::reloadIfChangedLocked() {
  struct stat status {};
  Stamp now = ::stat(file_.c_str(), &status) == 0 ? stampOf(status) : Stamp{.error = errno};
  if (now == stamp_) return;
  try {
    load();
  } catch (const std::exception& e) {
    stamp_ = now;  // logged once per change, not on every request
    apiLog()->error("cannot reload the REST API users: {}; keeping the {} user(s) read before",
                    printable(e.what()), users_.size());
  }
}

UserDirectory::CacheKey UserDirectory::cacheKey(std::string_view name,
                                                std::string_view password) const {
  std::string message;
  message.reserve(name.size() + 1 + password.size());
  message.append(name).append(1, '\0').append(password);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const unsigned char* ok =
      HMAC(EVP_sha256(), cacheSecret_.data(), static_cast<int>(cacheSecret_.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  OPENSSL_cleanse(message.data(), message.size());
  if (ok == nullptr) throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  return CacheKey(reinterpret_cast<const char*>(mac), length);
}

void UserDirectory::rememberLocked(CacheKey key) {
  const auto now = Clock::now();
  if (verified_.size() >= kCacheCapacity) {
    std::erase_if(verified_, [&](const auto& entry) { return entry.second <= now; });
  }
  if (verified_.size() >= kCacheCapacity) {
    verified_.erase(std::min_element(verified_.begin(), verified_.end(),
                                     [](auto& a, auto& b) { return a.second < b.second; }));
  }
  verified_[std::move(key)] = now + kCacheLifetime;
}

std::optional<ApiUser> UserDirectory::authenticate(std::string_view name,
                                                   std::string_view password) {
  CacheKey key = cacheKey(name, password);
  std::optional<ApiUser> candidate;
  std::string hash;
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    reloadIfChangedLocked();
    auto user = users_.find(name);
    if (auto hit = verified_.find(key); hit != verified_.end()) {
      if (hit->second > Clock::now() && user != users_.end()) return user->second;
      verified_.erase(hit);
    }
    if (user != users_.end()) candidate = user->second;
    hash = candidate ? candidate->passwordHash : dummyHash_;
    generation = generation_;
  }
  // The slow part runs unlocked, so logins of several users proceed in parallel.
  if (!verifyPassword(password, hash) || !candidate) return std::nullopt;
  std::lock_guard lock(mutex_);
  if (generation == generation_) rememberLocked(std::move(key));
  return candidate;
}

std::size_t UserDirectory::userCount() {
  std::lock_guard lock(mutex_);
  reloadIfChangedLocked();
  return users_.size();
}

void addOrUpdateUser(const std::filesystem::path& file, const ApiUser& user) {
  if (auto why = whyInvalidUserName(user.name)) {
    throw std::invalid_argument("user name '" + user.name + "' " + *why);
  }
  for (const auto& group : user.groups) {
    if (auto why = whyInvalidGroupName(group)) {
      throw std::invalid_argument("group '" + group + "' " + *why);
    }
  }
  if (!passwordHashIterations(user.passwordHash)) {
    throw std::invalid_argument("the password of user '" + user.name + "' is not a hash");
  }

  // Replace what a symlink points to, not the link.
  const fs::path target = fs::is_symlink(file) ? fs::canonical(file) : file;
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(directory);
  FileDescriptor directoryFd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!directoryFd) throwErrno("cannot open directory " + directory.string());
  // Serializes concurrent `user add`s, so none loses another's user; best effort (NFS).
  while (::flock(directoryFd.get(), LOCK_EX) != 0 && errno == EINTR) {
  }

  auto existing = readUsersFile(target);
  std::vector<ApiUser> users;
  if (existing) users = parseUsers(existing->text, target);
  auto same = std::find_if(users.begin(), users.end(),
                           [&](const ApiUser& u) { return u.name == user.name; });
  if (same != users.end()) {
    *same = user;
  } else {
    users.push_back(user);
  }
  const std::string text = render(users);

  std::string temporary = (directory / ("." + target.filename().string() + ".XXXXXX")).string();
  FileDescriptor fd(::mkstemp(temporary.data()));  // mode 0600
  if (!fd) throwErrno("cannot create a file in " + directory.string());
  try {
    // Keep the owner when root rewrites a file that the daemon's user reads.
    if (existing && ::fchown(fd.get(), existing->status.st_uid, existing->status.st_gid) != 0 &&
        errno != EPERM) {
      throwErrno("cannot set the owner of " + temporary);
    }
    writeAll(fd.get(), text, temporary);
    if (::fsync(fd.get()) != 0) throwErrno("cannot write " + temporary);
    fd.reset();
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
      throwErrno("cannot replace " + target.string());
    }
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  ::fsync(directoryFd.get());
}

}  // namespace telemetry::api
