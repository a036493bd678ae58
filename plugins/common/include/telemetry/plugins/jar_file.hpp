// Read-only access to the entries of a jar, war, ear or any other zip file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace Poco::Zip {
class ZipArchive;
}

namespace telemetry::plugins {

/// Thrown when the file is missing, is not a zip file or an entry cannot be read; the
/// message names the file.
class JarError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A zip file opened once; entries are read one at a time, on demand.
class JarFile {
 public:
  /// Entries larger than this are refused, so a hostile archive cannot exhaust memory.
  static constexpr std::size_t kMaxEntrySize = 16 * 1024 * 1024;

  explicit JarFile(const std::filesystem::path& file);
  ~JarFile();
  JarFile(const JarFile&) = delete;
  JarFile& operator=(const JarFile&) = delete;

  const std::filesystem::path& path() const { return path_; }
  bool contains(const std::string& entry) const;
  /// The entry's uncompressed content, or nullopt when there is no such entry.
  std::optional<std::string> read(const std::string& entry) const;
  /// Names of the file entries (directories left out) starting with `prefix`, sorted.
  std::vector<std::string> entryNames(std::string_view prefix = {}) const;

 private:
  std::filesystem::path path_;
  mutable std::ifstream stream_;
  std::unique_ptr<Poco::Zip::ZipArchive> archive_;
};

}  // namespace telemetry::plugins
