// What telemetry-probe children said about plugin files, kept in a JSON file beside the
// state store (`<state.path>.plugins.json`), so `plugins` and `report` start a child only
// for a file that is new or changed. An entry holds while the file's identity (device,
// inode, size, mtime, ctime) and the host's version and ABI are the same. The file is
// input like any other: read with limits, checked entry by entry, ignored when unsafe.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "plugins/plugin_info.hpp"
#include "telemetry/config.hpp"

namespace telemetry {

class DescriptorCache {
 public:
  /// What tells one version of a file from another without reading it.
  struct FileIdentity {
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::int64_t size = 0;
    std::int64_t mtimeNs = 0;
    std::int64_t ctimeNs = 0;  ///< changes on every write or rename; cannot be set back
    bool operator==(const FileIdentity&) const = default;
    /// The identity of what `file` names now (symbolic links followed), or nullopt.
    static std::optional<FileIdentity> of(const std::filesystem::path& file);
  };

  /// `<state.path>.plugins.json`, `telemetry-plugins.json` in the working directory for a
  /// database URL; nullopt while the state store does not exist (read-only commands create
  /// nothing).
  static std::optional<std::filesystem::path> locationFor(const StateConfig& state);

  /// Reads `file`; a missing, unsafe, oversized or unreadable file is an empty cache (and
  /// a warning), a bad entry is dropped. Never throws.
  explicit DescriptorCache(std::filesystem::path file);

  /// The description kept for `file` if it was read from this very identity, and, when its
  /// child ran out of time, with at least `timeout` (a longer timeout may let it answer).
  std::optional<PluginInfo> find(const std::filesystem::path& file, const FileIdentity& identity,
                                 Duration timeout) const;
  /// Keeps `info`; `timedOutAfter` when the child gave no answer within that time.
  void put(const std::filesystem::path& file, const FileIdentity& identity, const PluginInfo& info,
           std::optional<Duration> timedOutAfter = std::nullopt);

  /// Writes the cache when put() changed it, without entries whose file changed or is
  /// gone: to a 0600 file beside it, renamed into place. Never throws; a failure is logged.
  void save() noexcept;

  /// At most this many entries are read or kept.
  static constexpr std::size_t kMaxEntries = 1000;
  /// A larger cache file is ignored.
  static constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t{4} << 20;

 private:
  struct Entry {
    FileIdentity identity;
    PluginInfo info;
    std::optional<Duration> timedOutAfter;
  };

  void read();

  std::filesystem::path file_;
  std::map<std::string, Entry> entries_;
  bool changed_ = false;
};

}  // namespace telemetry
