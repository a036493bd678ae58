#include "privacy/ip_key_file.hpp"

#include <Poco/DigestEngine.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>
#include <stdexcept>

namespace telemetry::collector {
namespace {

constexpr std::size_t kMaxFileSize = 64 * 1024;
constexpr std::size_t kMinSecret = 16;
constexpr std::size_t kMaxSecret = 512;
// Far beyond any real time (about the year 33000), and far from overflowing when a
// rotation of up to a century is added.
constexpr std::int64_t kLatestTime = 1'000'000'000'000'000;

std::runtime_error systemError(const std::filesystem::path& file, const std::string& what) {
  return std::runtime_error(file.string() + ": " + what + ": " + std::strerror(errno));
}

/// An exclusive flock() on "<file>.lock" for as long as it lives.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& file) {
    const std::filesystem::path lock = file.string() + ".lock";
    fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) throw systemError(lock, "cannot open the lock file");
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd_);
        throw systemError(lock, "cannot lock");
      }
    }
  }
  ~FileLock() { ::close(fd_); }  // closing releases the lock
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

std::int64_t number(std::string_view text, std::size_t line) {
  std::int64_t value = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0 ||
      value > kLatestTime) {
    throw std::invalid_argument("line " + std::to_string(line) + ": '" + std::string(text) +
                                "' is not a time in milliseconds");
  }
  return value;
}

std::string unhex(std::string_view text, std::size_t line) {
  const auto bad = [&] {
    return std::invalid_argument("line " + std::to_string(line) + ": the key must be " +
                                 std::to_string(2 * kMinSecret) + " to " +
                                 std::to_string(2 * kMaxSecret) + " hex digits");
  };
  if (text.size() % 2 != 0 || text.size() < 2 * kMinSecret || text.size() > 2 * kMaxSecret) {
    throw bad();
  }
  std::string bytes(text.size() / 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    unsigned value = 0;
    auto [end, error] = std::from_chars(text.data() + 2 * i, text.data() + 2 * i + 2, value, 16);
    if (error != std::errc() || end != text.data() + 2 * i + 2) throw bad();
    bytes[i] = static_cast<char>(value);
  }
  return bytes;
}

void writeAll(int fd, const std::string& text, const std::filesystem::path& file) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw systemError(file, "cannot write");
    done += static_cast<std::size_t>(n);
  }
}

void syncDirectory(const std::filesystem::path& file) {
  const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

/// Overwrites the open file's bytes with zeros and syncs them.
void zeroOut(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0 || info.st_size <= 0) return;
  const std::string zeros(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < zeros.size()) {
    const ssize_t n =
        ::pwrite(fd, zeros.data() + done, zeros.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
}

}  // namespace

IpKeyFile::IpKeyFile(std::filesystem::path file) : file_(std::move(file)) {}

std::vector<IpKeyFile::Key> IpKeyFile::read() const {
  FileLock lock(file_);
  return readUnlocked();
}

std::vector<IpKeyFile::Key> IpKeyFile::update(
    const std::function<bool(std::vector<Key>&)>& change) const {
  FileLock lock(file_);
  auto keys = readUnlocked();
  if (change(keys)) write(keys);
  return keys;
}

std::vector<IpKeyFile::Key> IpKeyFile::readUnlocked() const {
  const int fd = ::open(file_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return {};
    throw systemError(file_, "cannot open the IP hash key file");
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    throw systemError(file_, "cannot read the IP hash key file");
  }
  if (!S_ISREG(info.st_mode) || (info.st_mode & (S_IRWXG | S_IRWXO)) != 0 ||
      info.st_size > static_cast<off_t>(kMaxFileSize)) {
    ::close(fd);
    throw std::runtime_error(file_.string() +
                             ": the IP hash key file must be a regular file of at most 64 KiB, "
                             "readable by its owner only (chmod 600)");
  }
  std::string text(static_cast<std::size_t>(info.st_size), '\0');
  const ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(text.size())) throw systemError(file_, "cannot read");
  try {
    return parse(text);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(file_.string() + ": not an IP hash key file: " + e.what());
  }
}

void IpKeyFile::write(const std::vector<Key>& keys) const {
  const std::filesystem::path next = file_.string() + ".new";
  ::unlink(next.c_str());  // left by a crash; the lock says nobody else writes it now
  const int fd = ::open(next.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) throw systemError(next, "cannot create");
  try {
    writeAll(fd, format(keys), next);
    if (::fsync(fd) != 0) throw systemError(next, "cannot sync");
  } catch (...) {
    ::close(fd);
    ::unlink(next.c_str());
    throw;
  }
  ::close(fd);
  // Held open across the rename so the replaced keys can be zeroed once the new file is safe.
  const int old = ::open(file_.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (::rename(next.c_str(), file_.c_str()) != 0) {
    if (old >= 0) ::close(old);
    throw systemError(file_, "cannot replace");
  }
  syncDirectory(file_);
  if (old >= 0) {
    zeroOut(old);
    ::close(old);
  }
}

std::vector<IpKeyFile::Key> IpKeyFile::parse(const std::string& text) {
  std::vector<Key> keys;
  std::istringstream in(text);
  std::string line;
  std::size_t lineNumber = 0;
  bool current = false;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (line.empty() || line.front() == '#') continue;
    const auto first = line.find(' ');
    const auto second = first == std::string::npos ? first : line.find(' ', first + 1);
    if (second == std::string::npos || line.find(' ', second + 1) != std::string::npos) {
      throw std::invalid_argument("line " + std::to_string(lineNumber) +
                                  ": expected '<started-at> <retired-at> <key>'");
    }
    const std::string_view view(line);
    Key key;
    key.startedAt = number(view.substr(0, first), lineNumber);
    key.retiredAt = number(view.substr(first + 1, second - first - 1), lineNumber);
    key.secret = unhex(view.substr(second + 1), lineNumber);
    if (key.retiredAt == 0) {
      if (current) {
        throw std::invalid_argument("line " + std::to_string(lineNumber) +
                                    ": a second current key (retired-at 0)");
      }
      current = true;
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

std::string IpKeyFile::format(const std::vector<Key>& keys) {
  std::string text =
      "# telemetry-collector IP hash keys: <started-at-ms> <retired-at-ms, 0: current> <key>.\n"
      "# Rotated and destroyed by the collector; never copy or back up this file.\n";
  for (const auto& key : keys) {
    const Poco::DigestEngine::Digest bytes(key.secret.begin(), key.secret.end());
    text += std::to_string(key.startedAt) + " " + std::to_string(key.retiredAt) + " " +
            Poco::DigestEngine::digestToHex(bytes) + "\n";
  }
  return text;
}

bool IpKeyFile::destroy(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  zeroOut(fd);
  ::close(fd);
  return ::unlink(file.c_str()) == 0;
}

}  // namespace telemetry::collector
