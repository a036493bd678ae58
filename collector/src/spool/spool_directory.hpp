// The spool's folder: segment files named by number, created, cut and deleted durably.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace telemetry::collector {

/// Segment N is the file "N.seg" (20 digits, so names sort by number). Every change to the
/// folder is followed by an fsync of the folder, so a created segment survives a crash and
/// a deleted one stays deleted. Other files in the folder are left alone.
class SpoolDirectory {
 public:
  /// Opens the folder, creating it (0700) when missing, and locks it (flock) for as long as
  /// this object lives. Throws std::runtime_error, also when another process holds it.
  explicit SpoolDirectory(std::filesystem::path path);
  ~SpoolDirectory();
  SpoolDirectory(const SpoolDirectory&) = delete;
  SpoolDirectory& operator=(const SpoolDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path segmentPath(std::uint64_t segment) const;
  /// Segment numbers found, oldest first.
  std::vector<std::uint64_t> segments() const;

  /// Creates segment `segment` with its header, synced; returns its descriptor, which the
  /// caller closes. It reuses the spare file when there is one: overwriting blocks already
  /// written makes each fdatasync cheaper than one that must also record a growing size.
  /// The spare's old frames fail their checksum (another segment number).
  int create(std::uint64_t segment);
  /// Deletes a segment durably.
  void remove(std::uint64_t segment);
  /// Keeps a stored segment's file as the spare ("spare.seg") for the next create(), or
  /// deletes it when there is a spare already.
  void recycle(std::uint64_t segment);

  struct Recovered {
    std::uint64_t segment = 0;
    std::uint64_t length = 0;  // after the cut
    std::uint64_t cut = 0;     // bytes cut from its end (a torn tail), 0 for a whole segment
  };
  /// Reads every segment, cuts each at its first torn or damaged frame (the rest was never
  /// synced, so never acknowledged) and hands every whole frame's payload to `visit`, in
  /// order. A segment too short for its header (a crash while creating it) is deleted.
  /// Throws std::runtime_error for a file that is not a segment.
  std::vector<Recovered> recover(
      const std::function<void(std::uint64_t segment, std::string_view payload)>& visit);

 private:
  void syncFolder();

  std::filesystem::path path_;
  int folder_ = -1;
};

}  // namespace telemetry::collector
