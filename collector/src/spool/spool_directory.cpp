#include "spool/spool_directory.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "spool/segment_reader.hpp"

namespace telemetry::collector {
namespace {

constexpr std::string_view kSuffix = ".seg";
constexpr std::size_t kDigits = 20;
constexpr const char* kSpare = "spare.seg";

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
  throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

std::string readWhole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read spool segment", path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

SpoolDirectory::SpoolDirectory(std::filesystem::path path) : path_(std::move(path)) {
  if (::mkdir(path_.c_str(), 0700) != 0 && errno != EEXIST) fail("cannot create spool", path_);
  folder_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_ < 0) fail("cannot open spool", path_);
  // Two collectors on one spool would drain and delete each other's segments.
  if (::flock(folder_, LOCK_EX | LOCK_NB) != 0) {
    const int saved = errno;
    ::close(folder_);
    if (saved == EWOULDBLOCK) {
      throw std::runtime_error(path_.string() + " is used by another collector (one spool each)");
    }
    errno = saved;
    fail("cannot lock spool", path_);
  }
  // A crash between the two steps of create() or recycle() leaves the spare as a second
  // name of a segment: writing it would overwrite that segment, so it goes.
  if (::unlink((path_ / kSpare).c_str()) == 0) syncFolder();
}

SpoolDirectory::~SpoolDirectory() {
  if (folder_ >= 0) ::close(folder_);
}

std::filesystem::path SpoolDirectory::segmentPath(std::uint64_t segment) const {
  std::string name = std::to_string(segment);
  name.insert(0, kDigits - std::min(kDigits, name.size()), '0');
  return path_ / (name + std::string(kSuffix));
}

std::vector<std::uint64_t> SpoolDirectory::segments() const {
  std::vector<std::uint64_t> found;
  for (const auto& entry : std::filesystem::directory_iterator(path_)) {
    const std::string name = entry.path().filename().string();
    if (name.size() != kDigits + kSuffix.size() || !name.ends_with(kSuffix)) continue;
    std::uint64_t number = 0;
    auto [end, error] = std::from_chars(name.data(), name.data() + kDigits, number);
    if (error == std::errc() && end == name.data() + kDigits) found.push_back(number);
  }
  std::sort(found.begin(), found.end());
  return found;
}

int SpoolDirectory::create(std::uint64_t segment) {
  const auto file = segmentPath(segment);
  const auto spare = path_ / kSpare;
  int fd = -1;
  // link() never replaces an existing segment, as O_EXCL does for a new file.
  if (::link(spare.c_str(), file.c_str()) == 0) {
    ::unlink(spare.c_str());
    fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  } else if (errno == ENOENT) {
    fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  }
  if (fd < 0) fail("cannot create spool segment", file);
  const auto header = SegmentReader::kHeader;
  if (::pwrite(fd, header.data(), header.size(), 0) != static_cast<ssize_t>(header.size()) ||
      ::fdatasync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    ::unlink(file.c_str());
    errno = saved;
    fail("cannot write spool segment", file);
  }
  syncFolder();
  return fd;
}

void SpoolDirectory::recycle(std::uint64_t segment) {
  const auto file = segmentPath(segment);
  const auto spare = path_ / kSpare;
  // link() fails when a spare exists, so a spare is never overwritten by another.
  if (::link(file.c_str(), spare.c_str()) != 0 && errno != EEXIST) {
    fail("cannot keep spool segment", file);
  }
  remove(segment);
}

void SpoolDirectory::remove(std::uint64_t segment) {
  const auto file = segmentPath(segment);
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) fail("cannot delete spool segment", file);
  syncFolder();
}

void SpoolDirectory::syncFolder() {
  if (::fsync(folder_) != 0) fail("cannot sync spool", path_);
}

std::vector<SpoolDirectory::Recovered> SpoolDirectory::recover(
    const std::function<void(std::uint64_t, std::string_view)>& visit) {
  std::vector<Recovered> recovered;
  for (const std::uint64_t segment : segments()) {
    const auto file = segmentPath(segment);
    const std::string bytes = readWhole(file);
    if (!SegmentReader::hasHeader(bytes)) {
      if (bytes.size() > SegmentReader::kHeader.size()) {
        throw std::runtime_error(file.string() + " is not a spool segment (no header)");
      }
      remove(segment);
      continue;
    }
    const std::string_view frames = std::string_view(bytes).substr(SegmentReader::kHeader.size());
    SegmentReader reader(frames, segment, SegmentReader::kHeader.size());
    while (auto payload = reader.next()) visit(segment, *payload);
    Recovered found{segment, reader.position(), bytes.size() - reader.position()};
    if (found.cut > 0) {
      const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) fail("cannot open spool segment", file);
      const bool cut = ::ftruncate(fd, static_cast<off_t>(found.length)) == 0 && ::fsync(fd) == 0;
      const int saved = errno;
      ::close(fd);
      errno = saved;
      if (!cut) fail("cannot cut the torn end of spool segment", file);
    }
    recovered.push_back(found);
  }
  return recovered;
}

}  // namespace telemetry::collector
