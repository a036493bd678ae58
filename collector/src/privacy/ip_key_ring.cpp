#include "privacy/ip_key_ring.hpp"

#include <Poco/RandomStream.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "config/collector_log.hpp"

namespace telemetry::collector {
namespace {

using std::chrono::milliseconds;

std::int64_t toMs(IpKeyRing::Clock::time_point at) {
  return std::chrono::duration_cast<milliseconds>(at.time_since_epoch()).count();
}

IpKeyRing::Clock::time_point fromMs(std::int64_t ms) {
  return IpKeyRing::Clock::time_point(
      std::chrono::duration_cast<IpKeyRing::Clock::duration>(milliseconds(ms)));
}

std::string randomSecret() {
  std::string bytes(32, '\0');
  Poco::RandomInputStream().read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

/// The secret-file of earlier versions: one line of at least 32 characters, mode 0600.
std::string readLegacySecret(const std::filesystem::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) throw std::runtime_error(file.string() + ": unreadable");
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw std::runtime_error(file.string() +
                             ": the secret file must be readable by its owner only (chmod 600)");
  }
  std::ifstream in(file);
  std::string secret;
  std::getline(in, secret);
  if (secret.size() < 32 || secret.size() > 512) {
    throw std::runtime_error(file.string() + ": the secret file must hold 32 to 512 characters");
  }
  return secret;
}

}  // namespace

IpKeyRing::IpKeyRing(Options options) : options_(std::move(options)), file_(options_.keyFile) {
  if (options_.rotation <= milliseconds(0) || options_.keepPrevious <= milliseconds(0)) {
    throw std::invalid_argument("IP hash keys need a positive rotation and keep-previous");
  }
  importLegacySecret();
  refresh();
  if (options_.rotateInBackground) thread_ = std::thread([this] { run(); });
}

IpKeyRing::~IpKeyRing() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

IpKeyRing::Hashes IpKeyRing::hash(const std::string& ip) const {
  std::shared_ptr<const Hashers> hashers;
  {
    std::lock_guard lock(mutex_);
    hashers = hashers_;
  }
  Hashes result{hashers->current.hash(ip), {}};
  result.former.reserve(hashers->former.size());
  for (const auto& former : hashers->former) result.former.push_back(former.hash(ip));
  return result;
}

void IpKeyRing::refresh(Clock::time_point now) {
  const std::int64_t nowMs = toMs(now);
  bool rotated = false;
  const auto keys = file_.update([&](std::vector<IpKeyFile::Key>& stored) {
    rotated = change(stored, nowMs);
    return rotated;
  });
  adopt(keys);
  if (rotated) {
    CollectorLog::get()->info("IP hash keys changed: {} kept in {}", keys.size(),
                              file_.path().string());
  }
}

IpKeyRing::Clock::time_point IpKeyRing::nextChange() const {
  std::lock_guard lock(mutex_);
  return nextChange_;
}

bool IpKeyRing::change(std::vector<IpKeyFile::Key>& keys, std::int64_t nowMs) const {
  bool changed = false;
  auto current = std::find_if(keys.begin(), keys.end(),
                              [](const IpKeyFile::Key& key) { return key.retiredAt == 0; });
  if (current == keys.end() || nowMs >= current->startedAt + options_.rotation.count()) {
    if (current != keys.end()) current->retiredAt = nowMs;
    keys.push_back(IpKeyFile::Key{nowMs, 0, randomSecret()});
    changed = true;
  }
  const auto expired = std::erase_if(keys, [&](const IpKeyFile::Key& key) {
    return key.retiredAt != 0 && key.retiredAt + options_.keepPrevious.count() <= nowMs;
  });
  return changed || expired > 0;
}

void IpKeyRing::adopt(const std::vector<IpKeyFile::Key>& keys) {
  std::vector<const IpKeyFile::Key*> former;
  const IpKeyFile::Key* current = nullptr;
  std::int64_t next = INT64_MAX;
  for (const auto& key : keys) {
    if (key.retiredAt == 0) {
      current = &key;
      next = std::min(next, key.startedAt + options_.rotation.count());
    } else {
      former.push_back(&key);
      next = std::min(next, key.retiredAt + options_.keepPrevious.count());
    }
  }
  if (current == nullptr) throw std::runtime_error(file_.path().string() + ": no current key");
  std::sort(former.begin(), former.end(),
            [](const auto* a, const auto* b) { return a->retiredAt > b->retiredAt; });
  auto hashers = std::make_shared<Hashers>(Hashers{IpHasher(current->secret), {}});
  for (const auto* key : former) hashers->former.emplace_back(key->secret);
  std::lock_guard lock(mutex_);
  hashers_ = std::move(hashers);
  nextChange_ = fromMs(next);
}

void IpKeyRing::importLegacySecret() {
  const auto& legacy = options_.legacySecretFile;
  std::error_code error;
  if (legacy.empty() || !std::filesystem::exists(legacy, error)) return;
  const std::string secret = readLegacySecret(legacy);
  const std::int64_t nowMs = toMs(Clock::now());
  bool imported = false;
  file_.update([&](std::vector<IpKeyFile::Key>& keys) {
    // Keys already there: another collector migrated first, this file is a leftover copy.
    if (!keys.empty()) return false;
    keys.push_back(IpKeyFile::Key{0, nowMs, secret});
    change(keys, nowMs);  // and the current key, in the same write
    imported = true;
    return true;
  });
  IpKeyFile::destroy(legacy);
  if (imported) {
    CollectorLog::get()->warn(
        "{}: the IP hash secret is now a replaced key in {}, destroyed in {} s; the old file "
        "is deleted (delete its backups too)",
        legacy.string(), file_.path().string(),
        std::chrono::duration_cast<std::chrono::seconds>(options_.keepPrevious).count());
  } else {
    CollectorLog::get()->warn("{}: deleted, the IP hash keys are in {} now", legacy.string(),
                              file_.path().string());
  }
}

void IpKeyRing::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto due = nextChange_;
    if (wake_.wait_until(lock, due, [&] { return stopping_; })) break;
    if (Clock::now() < due) continue;  // woke early
    lock.unlock();
    try {
      refresh();
    } catch (const std::exception& e) {
      // Hashing goes on with the keys in memory; the next attempt comes soon.
      CollectorLog::get()->error("IP hash keys: {}", e.what());
      lock.lock();
      nextChange_ =
          Clock::now() + std::min<Clock::duration>(options_.rotation, std::chrono::seconds(10));
      continue;
    }
    lock.lock();
  }
}

}  // namespace telemetry::collector
