#include "spool/spool_drain.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <future>
#include <string_view>

#include "config/collector_log.hpp"
#include "spool/segment_reader.hpp"
#include "spool/spool_record.hpp"

namespace telemetry::collector {
namespace {

// Read at once: enough for a whole batch of reports of the example's size (2.7 KB spooled).
constexpr std::size_t kReadChunk = 8U << 20;
constexpr std::size_t kReadPerReport = 4096;
// One-at-a-time attempts refused before the first success that make the drain wait for the
// store instead (each failed attempt logs): refused reports are rare and alone.
constexpr std::size_t kRefusalsBeforeFailing = 32;

#ifdef TELEMETRY_BENCH_FLOOR_SWITCH
// `scripts/bench collector`'s floor: with TELEMETRY_COLLECTOR_BENCH_FLOOR=1 the drain stores
// nothing, so a report costs the spool's pwrite + fdatasync and no store. Bench builds only.
const bool kFloor = [] {
  const char* value = std::getenv("TELEMETRY_COLLECTOR_BENCH_FLOOR");
  return value != nullptr && std::string_view(value) == "1";
}();
#else
constexpr bool kFloor = false;
#endif

std::string reasonOf(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const Poco::Exception& e) {
    return e.displayText();  // Poco's what() is only the exception's class name
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown error";
  }
}

// A spooled report as the store takes it: a record keeps every byte it was given, and one
// spooled by a version that kept a NUL in a figure is cut as fromDocument now cuts it.
ReceivedReport toStore(std::string_view record) {
  ReceivedReport report = SpoolRecord::decode(record);
  report.endFiguresAtNul();
  return report;
}

}  // namespace

SpoolDrain::SpoolDrain(SpoolDirectory& directory, SegmentLedger& ledger, ReportStore& store,
                       Options options, Committed committed)
    : directory_(directory),
      ledger_(ledger),
      store_(store),
      options_(options),
      committed_(std::move(committed)) {
  options_.batch = std::max<std::size_t>(options_.batch, 1);
  thread_ = std::thread([this] { run(); });
  pthread_setname_np(thread_.native_handle(), "spool-drain");
}

SpoolDrain::~SpoolDrain() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.notify_all();
  ledger_.wake();
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) ::close(fd_);
}

std::string SpoolDrain::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

std::int64_t SpoolDrain::oldestUnstoredAt() const {
  // The drain's thread clears it only on its next round after a commit: until then the
  // committed batch's time would still show, with nothing left to store.
  const std::int64_t at = oldestUnstoredAt_.load();
  return at == 0 || unstoredBytes() == 0 ? 0 : at;
}

std::uint64_t SpoolDrain::unstoredBytes() const {
  // The segment first: run() publishes a new segment after its position, so this never
  // pairs a newer segment with an older segment's (larger) position.
  const std::uint64_t segment = readSegment_.load();
  return ledger_.bytesAfter(segment, readPosition_.load());
}

bool SpoolDrain::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

bool SpoolDrain::pauseUnlessStopping(std::chrono::milliseconds pause) {
  std::unique_lock lock(mutex_);
  return stop_.wait_for(lock, pause, [this] { return stopping_; });
}

void SpoolDrain::run() {
  auto retry = options_.firstRetry;
  for (;;) {
    // A damaged segment is read no further: wait for it to be sealed, then set it aside.
    const auto segment =
        ledger_.waitOldest(damaged_ ? UINT64_MAX : position_, std::chrono::seconds(1));
    if (!segment) {
      if (stopping()) return;
      continue;
    }
    if (fd_ < 0 || segment->number != segment_) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = ::open(directory_.segmentPath(segment->number).c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) {
        CollectorLog::get()->error("cannot open spool segment {}: {}",
                                   directory_.segmentPath(segment->number).string(),
                                   std::strerror(errno));
        if (pauseUnlessStopping(options_.maxRetry)) return;
        continue;
      }
      segment_ = segment->number;
      position_ = SegmentReader::kHeader.size();
      readPosition_.store(position_);
      readSegment_.store(segment_);
      damaged_ = false;
    }
    if (position_ < segment->length && !damaged_) {
      if (drainSome(*segment)) {
        retry = options_.firstRetry;
      } else {
        if (pauseUnlessStopping(retry)) return;
        retry = std::min(retry * 2, options_.maxRetry);
      }
      continue;
    }
    if (segment->sealed) {
      finishSegment(*segment);
      continue;
    }
    oldestUnstoredAt_.store(0);
    if (stopping()) return;
  }
}

bool SpoolDrain::drainSome(const SegmentLedger::Segment& segment) {
  std::vector<ReceivedReport> reports;
  std::uint64_t end = position_;
  std::size_t want = std::min<std::uint64_t>(segment.length - position_,
                                             std::max(kReadChunk, options_.batch * kReadPerReport));
  for (;;) {
    buffer_.resize(want);
    std::size_t got = 0;
    while (got < want) {
      const ssize_t n =
          ::pread(fd_, buffer_.data() + got, want - got, static_cast<off_t>(position_ + got));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    buffer_.resize(got);
    SegmentReader reader(buffer_, segment.number, position_);
    while (reports.size() < options_.batch) {
      auto payload = reader.next();
      if (!payload) break;
      try {
        reports.push_back(toStore(*payload));
      } catch (const SpoolFormatError&) {
        break;  // treated as damage below
      }
      end = reader.position();
    }
    if (!reports.empty()) break;
    // A frame longer than the chunk: read all of it (it is synced, so it is whole).
    if (reader.incomplete() && got == want && want < segment.length - position_) {
      want = std::min<std::uint64_t>(segment.length - position_, reader.needed());
      continue;
    }
    // Synced bytes that do not read back: the disk changed them. Keep the file aside.
    CollectorLog::get()->error(
        "spool segment {} cannot be read from byte {}; its remaining reports are not stored "
        "and the file is kept as {}.damaged",
        directory_.segmentPath(segment.number).string(), position_,
        directory_.segmentPath(segment.number).filename().string());
    damaged_ = true;
    return true;
  }

  oldestUnstoredAt_.store(reports.front().receivedAt);
  const std::size_t count = reports.size();
  if (kFloor) {
    position_ = end;
    readPosition_.store(position_);
    drained_.fetch_add(count);
    if (committed_) committed_(std::vector<StoreOutcome>(count, StoreOutcome::stored));
    return true;
  }
  std::vector<StoreOutcome> outcomes;
  try {
    outcomes = store(std::move(reports));
  } catch (const std::exception&) {
    {
      std::lock_guard lock(mutex_);
      failure_ = reasonOf(std::current_exception());
    }
    // An unreachable store fails every write; one that takes a health probe refuses some of
    // these reports themselves: one at a time finds which, so they cannot block the spool.
    if (!store_.writable(std::chrono::seconds(5)) ||
        !storeOneByOne(segment.number, count, outcomes)) {
      return false;
    }
  }
  position_ = end;
  readPosition_.store(position_);
  drained_.fetch_add(count);
  {
    std::lock_guard lock(mutex_);
    failure_.clear();
  }
  if (committed_) committed_(outcomes);
  return true;
}

std::vector<StoreOutcome> SpoolDrain::store(std::vector<ReceivedReport> reports) {
  auto promise = std::make_shared<std::promise<std::vector<StoreOutcome>>>();
  auto outcome = promise->get_future();
  store_.submitAll(std::move(reports),
                   [promise](std::vector<StoreOutcome> outcomes, std::exception_ptr failure) {
                     if (failure) {
                       promise->set_exception(failure);
                     } else {
                       promise->set_value(std::move(outcomes));
                     }
                   });
  return outcome.get();
}

bool SpoolDrain::storeOneByOne(std::uint64_t segment, std::size_t count,
                               std::vector<StoreOutcome>& outcomes) {
  outcomes.clear();
  struct Refused {
    std::string_view payload;
    std::string installation;
    std::string reason;
  };
  std::vector<Refused> refused;
  // The batch's frames are still in buffer_, from position_ on.
  SegmentReader reader(buffer_, segment, position_);
  for (std::size_t i = 0; i < count; ++i) {
    const auto payload = reader.next();
    ReceivedReport report = toStore(*payload);
    std::string installation = report.installation;
    try {
      std::vector<ReceivedReport> one;
      one.push_back(std::move(report));
      outcomes.push_back(store(std::move(one)).front());
    } catch (const std::exception&) {
      refused.push_back({*payload, std::move(installation), reasonOf(std::current_exception())});
      // So many refusals in a row, none stored: the store is failing, not these reports.
      if (outcomes.empty() && refused.size() >= kRefusalsBeforeFailing) return false;
    }
  }
  // Only when others went in is a refusal about the report; if none did, the store is
  // failing (a schema it cannot use, a full disk): wait for it, as for an outage.
  if (outcomes.empty()) return false;
  for (auto& report : refused) {
    // Once more now that the store took others (an outage may have ended meanwhile), and
    // only while it takes a health probe (one may have begun).
    try {
      std::vector<ReceivedReport> one;
      one.push_back(toStore(report.payload));
      outcomes.push_back(store(std::move(one)).front());
      continue;
    } catch (const std::exception&) {
      report.reason = reasonOf(std::current_exception());
    }
    if (!store_.writable(std::chrono::seconds(5))) return false;
    setAside(report.payload, report.installation, report.reason);
  }
  return true;
}

void SpoolDrain::setAside(std::string_view payload, const std::string& installation,
                          const std::string& reason) {
  const auto file = directory_.path() / "refused.records";
  std::string frame;
  SegmentReader::appendFrame(frame, 0, payload);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const bool kept = fd >= 0 &&
                    ::write(fd, frame.data(), frame.size()) == static_cast<ssize_t>(frame.size()) &&
                    ::fdatasync(fd) == 0;
  if (fd >= 0) ::close(fd);
  refused_.fetch_add(1);
  CollectorLog::get()->error(
      "the store refuses a spooled report of installation {} ({}); it is not stored{}",
      installation, reason,
      kept ? ", and kept in " + file.string() : " (and could not be kept aside)");
}

void SpoolDrain::finishSegment(const SegmentLedger::Segment& segment) {
  ::close(fd_);
  fd_ = -1;
  try {
    if (damaged_) {
      const auto file = directory_.segmentPath(segment.number);
      std::filesystem::rename(file, file.string() + ".damaged");
    } else {
      directory_.recycle(segment.number);
    }
  } catch (const std::exception& e) {
    CollectorLog::get()->error("cannot remove a drained spool segment: {}", e.what());
  }
  ledger_.removeOldest();
  damaged_ = false;
  position_ = SegmentReader::kHeader.size();
}

}  // namespace telemetry::collector
