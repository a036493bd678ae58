// An SQLite store file that can't be used as it is (a directory, empty, not SQLite, damaged,
// not ours to write): the operator must act, so the message names the file.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace telemetry::storage {

class StoreFileError : public std::runtime_error {
 public:
  /// What the owner of the store can advise: `damaged` means the file lost what it held (or
  /// never was a store), so only a backup or a new store helps.
  enum class Kind { directory, unusable, damaged };

  /// `problem` reads after the path: "is a directory, not a store file".
  StoreFileError(const std::filesystem::path& file, const std::string& problem, Kind kind)
      : std::runtime_error(file.string() + " " + problem),
        file_(file),
        problem_(problem),
        kind_(kind) {}

  const std::filesystem::path& file() const { return file_; }
  const std::string& problem() const { return problem_; }
  Kind kind() const { return kind_; }

 private:
  std::filesystem::path file_;
  std::string problem_;
  Kind kind_;
};

}  // namespace telemetry::storage
