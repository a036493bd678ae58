// The keys that turn client addresses into IP hashes, rotated so that old hashes become
// unlinkable to any address once their key is destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "privacy/ip_key_file.hpp"
#include "store/ip_hasher.hpp"

namespace telemetry::collector {

/// The current key hashes every request; a replaced key is kept `keepPrevious` longer so
/// the same address still matches its earlier hashes (dedup, rate limit), then destroyed in
/// memory and on disk. Keys live in an IpKeyFile that collectors sharing it rotate together.
/// A thread of its own rotates on time, with or without traffic. Thread-safe.
class IpKeyRing {
 public:
  using Clock = std::chrono::system_clock;

  struct Options {
    std::filesystem::path keyFile;
    std::chrono::milliseconds rotation = std::chrono::hours(24);
    std::chrono::milliseconds keepPrevious = std::chrono::hours(24);
    /// The single secret of earlier versions; imported as a replaced key, then destroyed.
    std::filesystem::path legacySecretFile;
    bool rotateInBackground = true;  // false: only refresh() rotates (tests)
  };

  /// One address under every key still kept.
  struct Hashes {
    std::string current;
    std::vector<std::string> former;  // newest first
  };

  /// Reads or creates the key file (rotating when due). Throws std::runtime_error.
  explicit IpKeyRing(Options options);
  ~IpKeyRing();
  IpKeyRing(const IpKeyRing&) = delete;
  IpKeyRing& operator=(const IpKeyRing&) = delete;

  Hashes hash(const std::string& ip) const;

  /// Rotates and destroys keys due at `now`, or adopts what another collector wrote.
  void refresh(Clock::time_point now = Clock::now());

  /// When the next key is due to start or to be destroyed.
  Clock::time_point nextChange() const;

 private:
  struct Hashers {
    IpHasher current;
    std::vector<IpHasher> former;
  };

  bool change(std::vector<IpKeyFile::Key>& keys, std::int64_t nowMs) const;
  void adopt(const std::vector<IpKeyFile::Key>& keys);
  void importLegacySecret();
  void run();

  Options options_;
  IpKeyFile file_;
  mutable std::mutex mutex_;
  std::shared_ptr<const Hashers> hashers_;
  Clock::time_point nextChange_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace telemetry::collector
