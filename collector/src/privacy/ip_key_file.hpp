// The IP hash keys on disk, shared by the collectors that use the same file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace telemetry::collector {

/// A 0600 text file, one key a line: "<started-at-ms> <retired-at-ms or 0> <key as hex>".
/// Every access holds flock() on "<file>.lock", so collectors sharing the directory rotate
/// it one at a time; a new version replaces the file by rename() and the replaced one is
/// overwritten with zeros, so a destroyed key does not stay readable in the old file.
class IpKeyFile {
 public:
  struct Key {
    std::int64_t startedAt = 0;  // ms since the Unix epoch: first used to hash
    std::int64_t retiredAt = 0;  // ms since the Unix epoch: replaced; 0 while current
    std::string secret;          // the HMAC key's bytes
  };

  explicit IpKeyFile(std::filesystem::path file);

  /// The keys as stored (none when the file does not exist). Throws std::runtime_error on
  /// a file group or others may read, or one that is not a key file.
  std::vector<Key> read() const;

  /// Under the lock: reads the keys, lets `change` edit them, and when it returns true
  /// writes them back atomically. Returns the keys as they are now on disk.
  std::vector<Key> update(const std::function<bool(std::vector<Key>&)>& change) const;

  /// Parses the file's text; throws std::invalid_argument naming the line.
  static std::vector<Key> parse(const std::string& text);
  static std::string format(const std::vector<Key>& keys);

  /// Overwrites a file with zeros, syncs and removes it; false when it did not exist.
  static bool destroy(const std::filesystem::path& file);

  const std::filesystem::path& path() const { return file_; }

 private:
  std::vector<Key> readUnlocked() const;
  void write(const std::vector<Key>& keys) const;

  std::filesystem::path file_;
};

}  // namespace telemetry::collector
