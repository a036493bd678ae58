#include "spool/spool_writer.hpp"

#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "spool/segment_reader.hpp"

namespace telemetry::collector {

SpoolWriter::SpoolWriter(SpoolDirectory& directory, SegmentLedger& ledger,
                         std::uint64_t firstSegment, Options options)
    : directory_(directory), ledger_(ledger), options_(options) {
  options_.segmentSize = std::max<std::uint64_t>(
      std::min(options_.segmentSize, options_.maxSize / 8), SegmentReader::kHeader.size() + 1);
  startSegment(firstSegment);
  thread_ = std::thread([this] { run(); });
  pthread_setname_np(thread_.native_handle(), "spool-writer");
}

SpoolWriter::~SpoolWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  waiting_.notify_all();
  if (thread_.joinable()) thread_.join();
  closeSegment();
}

void SpoolWriter::append(std::string payload, Completion done) {
  const std::uint64_t size = payload.size() + SegmentReader::kFrameHead;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw SpoolFull("the spool is shutting down");
    if (ledger_.bytes() + waitingBytes_ + size > options_.maxSize) {
      bytesWhenFull_.store(ledger_.bytes(), std::memory_order_relaxed);
      full_.store(true, std::memory_order_relaxed);
      throw SpoolFull("the spool is full");
    }
    full_.store(false, std::memory_order_relaxed);
    waitingBytes_ += size;
    payloads_.push_back(std::move(payload));
    completions_.push_back(std::move(done));
  }
  waiting_.notify_one();
}

bool SpoolWriter::full() const {
  return full_.load(std::memory_order_relaxed) &&
         ledger_.bytes() >= bytesWhenFull_.load(std::memory_order_relaxed);
}

void SpoolWriter::run() {
  std::vector<std::string> payloads;
  std::vector<Completion> completions;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      waiting_.wait(lock, [this] { return stopping_ || !payloads_.empty(); });
      if (payloads_.empty()) return;  // stopping, and everything is written
      payloads.swap(payloads_);
      completions.swap(completions_);
      waitingBytes_ = 0;
    }
    std::exception_ptr failure;
    try {
      writeGroup(payloads);
    } catch (const std::exception&) {
      failure = std::current_exception();
    }
    for (auto& done : completions) done(failure);
    payloads.clear();
    completions.clear();
  }
}

void SpoolWriter::writeGroup(const std::vector<std::string>& payloads) {
  const auto now = std::chrono::steady_clock::now();
  const bool empty = length_ == SegmentReader::kHeader.size();
  if (broken_ || length_ >= options_.segmentSize ||
      (!empty && now - firstWrite_ >= options_.segmentAge)) {
    startSegment(segment_ + 1);
  }
  if (length_ == SegmentReader::kHeader.size()) firstWrite_ = now;
  buffer_.clear();
  for (const auto& payload : payloads) SegmentReader::appendFrame(buffer_, segment_, payload);
  std::size_t written = 0;
  while (written < buffer_.size()) {
    const ssize_t n = ::pwrite(fd_, buffer_.data() + written, buffer_.size() - written,
                               static_cast<off_t>(length_ + written));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      broken_ = true;
      throw std::runtime_error(std::string("spool write failed: ") + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    // After a failed sync the page cache no longer says what is on disk: never reuse the file.
    broken_ = true;
    throw std::runtime_error(std::string("spool sync failed: ") + std::strerror(errno));
  }
  length_ += buffer_.size();
  syncs_.fetch_add(1, std::memory_order_relaxed);
  ledger_.grow(length_);
}

void SpoolWriter::startSegment(std::uint64_t number) {
  // A broken segment keeps only what was synced; the drain reads it up to that length.
  if (fd_ >= 0 && broken_) {
    if (::ftruncate(fd_, static_cast<off_t>(length_)) != 0) {
      // Frames left past it were answered 500; should they survive, the store's duplicate
      // check keeps the sender's retry from being stored twice.
    }
  }
  closeSegment();
  fd_ = directory_.create(number);
  segment_ = number;
  length_ = SegmentReader::kHeader.size();
  broken_ = false;
  ledger_.add({number, length_, false});
}

void SpoolWriter::closeSegment() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace telemetry::collector
