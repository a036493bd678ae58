// Builds real zip/jar/war fixtures with Poco::Zip, entry by entry.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>

namespace telemetry::plugins::testing {

class ZipBuilder {
 public:
  /// Adds a file entry, e.g. "META-INF/MANIFEST.MF".
  ZipBuilder& add(const std::string& entry, std::string content) {
    entries_[entry] = std::move(content);
    return *this;
  }
  /// Writes the archive to `file` (parents created) and returns its path.
  std::filesystem::path writeTo(const std::filesystem::path& file) const {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    Poco::Zip::Compress compress(out, true);
    for (const auto& [entry, content] : entries_) {
      std::istringstream input(content);
      compress.addFile(input, Poco::DateTime(), Poco::Path(entry, Poco::Path::PATH_UNIX));
    }
    compress.close();
    out.close();
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
  }

 private:
  std::map<std::string, std::string> entries_;
};

}  // namespace telemetry::plugins::testing
