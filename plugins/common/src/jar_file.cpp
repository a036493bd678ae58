#include "telemetry/plugins/jar_file.hpp"

#include <Poco/Exception.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

namespace telemetry::plugins {

JarFile::JarFile(const std::filesystem::path& file) : path_(file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw JarError("'" + file.string() + "' is not a file");
  }
  stream_.open(file, std::ios::binary);
  if (!stream_) throw JarError("cannot open '" + file.string() + "'");
  // Poco reads a file without zip headers as an empty archive; say what it really is.
  char signature[4] = {};
  stream_.read(signature, sizeof signature);
  if (std::string_view(signature, sizeof signature) != std::string_view("PK\x03\x04", 4) &&
      std::string_view(signature, sizeof signature) != std::string_view("PK\x05\x06", 4)) {
    throw JarError("'" + file.string() + "' is not a zip file");
  }
  stream_.clear();
  stream_.seekg(0);
  try {
    archive_ = std::make_unique<Poco::Zip::ZipArchive>(stream_);
  } catch (const Poco::Exception& e) {
    throw JarError("'" + file.string() + "' is not a readable zip file: " + e.displayText());
  } catch (const std::exception& e) {
    throw JarError("'" + file.string() + "' is not a readable zip file: " + e.what());
  }
}

JarFile::~JarFile() = default;

bool JarFile::contains(const std::string& entry) const {
  return archive_->findHeader(entry) != archive_->headerEnd();
}

std::optional<std::string> JarFile::read(const std::string& entry) const {
  auto header = archive_->findHeader(entry);
  if (header == archive_->headerEnd() || header->second.isDirectory()) return std::nullopt;
  if (header->second.getUncompressedSize() > kMaxEntrySize) {
    throw JarError("'" + path_.string() + "': entry '" + entry + "' is too large");
  }
  try {
    stream_.clear();
    Poco::Zip::ZipInputStream input(stream_, header->second);
    std::string content;
    char buffer[8192];
    while (input.read(buffer, sizeof buffer) || input.gcount() > 0) {
      content.append(buffer, static_cast<std::size_t>(input.gcount()));
      if (content.size() > kMaxEntrySize) {
        throw JarError("'" + path_.string() + "': entry '" + entry + "' is too large");
      }
    }
    return content;
  } catch (const Poco::Exception& e) {
    throw JarError("'" + path_.string() + "': cannot read entry '" + entry +
                   "': " + e.displayText());
  }
}

std::vector<std::string> JarFile::entryNames(std::string_view prefix) const {
  std::vector<std::string> names;
  for (auto it = archive_->headerBegin(); it != archive_->headerEnd(); ++it) {
    if (!it->second.isDirectory() && it->first.starts_with(prefix)) names.push_back(it->first);
  }
  return names;
}

}  // namespace telemetry::plugins
