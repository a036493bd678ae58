#include "plugins/descriptors/descriptor_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>
#include <stdexcept>

#include <Poco/JSON/Parser.h>

#include "config/logging.hpp"
#include "plugins/descriptor_rules.hpp"
#include "plugins/descriptors/plugin_description.hpp"
#include "probes/file_descriptor.hpp"
#include "report/utf8_text.hpp"
#include "telemetry/version.hpp"

namespace telemetry {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

constexpr int kFormat = 1;

std::int64_t nanoseconds(const timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::int64_t integer(const Object& json, const std::string& key) {
  if (!json.has(key) || !json.get(key).isInteger()) {
    throw std::runtime_error("'" + key + "' is not an integer");
  }
  return json.get(key).convert<Poco::Int64>();
}

/// The cache's text if it is a file only this user (or root) can have written; why not else.
std::string readSafely(const fs::path& file) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd) {
    if (errno == ENOENT) return {};
    throw std::runtime_error(std::strerror(errno));
  }
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) throw std::runtime_error(std::strerror(errno));
  if (!S_ISREG(status.st_mode)) throw std::runtime_error("not a regular file");
  if (status.st_uid != 0 && status.st_uid != ::geteuid()) {
    throw std::runtime_error("owned by uid " + std::to_string(status.st_uid) +
                             ", neither root nor the user running the host");
  }
  if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    throw std::runtime_error("writable by others than its owner");
  }
  if (static_cast<std::uintmax_t>(status.st_size) > DescriptorCache::kMaxFileBytes) {
    throw std::runtime_error("larger than " + std::to_string(DescriptorCache::kMaxFileBytes) +
                             " bytes");
  }
  std::string text;
  char buffer[16 * 1024];
  while (text.size() <= DescriptorCache::kMaxFileBytes) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::strerror(errno));
    if (n == 0) return text;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  throw std::runtime_error("grew beyond " + std::to_string(DescriptorCache::kMaxFileBytes) +
                           " bytes while being read");
}

void writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error(std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace

std::optional<DescriptorCache::FileIdentity> DescriptorCache::FileIdentity::of(
    const fs::path& file) {
  struct stat status {};
  if (::stat(file.c_str(), &status) != 0) return std::nullopt;
  return FileIdentity{static_cast<std::uint64_t>(status.st_dev),
                      static_cast<std::uint64_t>(status.st_ino),
                      static_cast<std::int64_t>(status.st_size), nanoseconds(status.st_mtim),
                      nanoseconds(status.st_ctim)};
}

std::optional<fs::path> DescriptorCache::locationFor(const StateConfig& state) {
  if (state.path.find("://") != std::string::npos) return fs::path("telemetry-plugins.json");
  std::error_code ec;
  if (!fs::is_regular_file(state.path, ec)) return std::nullopt;
  return fs::path(state.path + ".plugins.json");
}

DescriptorCache::DescriptorCache(fs::path file) : file_(std::move(file)) {
  try {
    read();
  } catch (const std::exception& e) {
    entries_.clear();
    changed_ = true;  // rewritten, so the warning comes once
    logger("telemetry.catalog")
        ->warn("ignoring the plugin descriptor cache {}: {}", file_.string(), e.what());
  }
}

void DescriptorCache::read() {
  std::string text = readSafely(file_);
  if (text.empty()) return;
  if (firstEscapedNul(text)) throw std::runtime_error("it holds an escaped NUL");
  Object::Ptr root = Poco::JSON::Parser().parse(text).extract<Object::Ptr>();
  if (!root) throw std::runtime_error("not a JSON object");
  // Another host version or ABI may read plugins differently: start afresh, quietly.
  if (integer(*root, "format") != kFormat || root->optValue<std::string>("host", "") != kVersion ||
      root->optValue<std::string>("abi", "") != abiText(plugin::kAbiVersion)) {
    changed_ = true;
    return;
  }
  Object::Ptr plugins = root->getObject("plugins");
  if (!plugins) throw std::runtime_error("no 'plugins' object");
  std::size_t dropped = 0;
  for (const auto& [path, value] : *plugins) {
    try {
      if (entries_.size() >= kMaxEntries) throw std::runtime_error("too many entries");
      if (auto problem = textProblem(path)) throw std::runtime_error("its file name " + *problem);
      Object::Ptr json = value.extract<Object::Ptr>();
      Entry entry;
      entry.identity = {static_cast<std::uint64_t>(integer(*json, "device")),
                        static_cast<std::uint64_t>(integer(*json, "inode")), integer(*json, "size"),
                        integer(*json, "mtime-ns"), integer(*json, "ctime-ns")};
      if (json->has("timed-out-after-ms")) {
        entry.timedOutAfter = Duration(integer(*json, "timed-out-after-ms"));
      }
      Object::Ptr description = json->getObject("description");
      if (!description) throw std::runtime_error("no 'description' object");
      entry.info.file = path;
      entry.info.name = fs::path(path).stem().string();
      descriptionFromJson(*description, entry.info);
      entries_.emplace(path, std::move(entry));
    } catch (const std::exception& e) {
      if (dropped++ == 0) {
        logger("telemetry.catalog")
            ->warn("dropping bad entries of the plugin descriptor cache {}, first {}: {}",
                   file_.string(), printable(path), e.what());
      }
      changed_ = true;
    }
  }
}

std::optional<PluginInfo> DescriptorCache::find(const fs::path& file, const FileIdentity& identity,
                                                Duration timeout) const {
  auto it = entries_.find(file.string());
  if (it == entries_.end() || !(it->second.identity == identity)) return std::nullopt;
  if (it->second.timedOutAfter && *it->second.timedOutAfter < timeout) return std::nullopt;
  PluginInfo info = it->second.info;
  info.file = file;
  return info;
}

void DescriptorCache::put(const fs::path& file, const FileIdentity& identity,
                          const PluginInfo& info, std::optional<Duration> timedOutAfter) {
  entries_[file.string()] = Entry{identity, info, timedOutAfter};
  changed_ = true;
}

void DescriptorCache::save() noexcept {
  if (!changed_) return;
  std::string temporary;
  try {
    Object::Ptr plugins = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    std::size_t kept = 0;
    for (const auto& [path, entry] : entries_) {
      if (kept == kMaxEntries || FileIdentity::of(path) != entry.identity) continue;
      Object::Ptr json = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
      json->set("device", static_cast<Poco::Int64>(entry.identity.device));
      json->set("inode", static_cast<Poco::Int64>(entry.identity.inode));
      json->set("size", entry.identity.size);
      json->set("mtime-ns", entry.identity.mtimeNs);
      json->set("ctime-ns", entry.identity.ctimeNs);
      if (entry.timedOutAfter) {
        json->set("timed-out-after-ms", static_cast<Poco::Int64>(entry.timedOutAfter->count()));
      }
      json->set("description", descriptionToJson(entry.info));
      plugins->set(path, json);
      ++kept;
    }
    Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    root.set("format", kFormat);
    root.set("host", std::string(kVersion));
    root.set("abi", abiText(plugin::kAbiVersion));
    root.set("plugins", plugins);
    std::ostringstream text;
    root.stringify(text, 2);
    text << '\n';

    fs::path directory = file_.has_parent_path() ? file_.parent_path() : fs::path(".");
    temporary = (directory / ("." + file_.filename().string() + ".XXXXXX")).string();
    FileDescriptor fd(::mkstemp(temporary.data()));  // mode 0600
    if (!fd) {
      temporary.clear();
      throw std::runtime_error(std::string("cannot create a file beside it: ") +
                               std::strerror(errno));
    }
    writeAll(fd.get(), text.str());
    fd.reset();
    // Renamed into place: a reader sees the old or the new cache, never half of one.
    if (::rename(temporary.c_str(), file_.c_str()) != 0) {
      throw std::runtime_error(std::string("cannot replace it: ") + std::strerror(errno));
    }
    changed_ = false;
  } catch (const std::exception& e) {
    if (!temporary.empty()) ::unlink(temporary.c_str());
    try {
      logger("telemetry.catalog")
          ->warn("cannot write the plugin descriptor cache {}: {}", file_.string(), e.what());
    } catch (...) {
    }
  }
}

}  // namespace telemetry
