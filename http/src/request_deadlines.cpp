#include "telemetry/http/request_deadlines.hpp"

#include <sys/socket.h>

#include <algorithm>

namespace telemetry::http {

RequestDeadlines::RequestDeadlines(std::chrono::milliseconds limit)
    : limit_(limit), watchdog_([this] { run(); }) {}

RequestDeadlines::~RequestDeadlines() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  watchdog_.join();
}

std::unique_ptr<RequestDeadlines::Watch> RequestDeadlines::watch(
    const Poco::Net::StreamSocket& socket) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = nextId_++;
    entries_.emplace(id, Entry{socket, expired_ ? Clock::now() : Clock::now() + limit_});
  }
  changed_.notify_all();
  return std::unique_ptr<Watch>(new Watch(*this, id));
}

void RequestDeadlines::expireAll() {
  {
    std::lock_guard lock(mutex_);
    expired_ = true;
    const auto now = Clock::now();
    for (auto& [id, entry] : entries_) {
      if (entry.deadline) entry.deadline = now;
    }
  }
  changed_.notify_all();
}

std::uint64_t RequestDeadlines::cutOffCount() const {
  std::lock_guard lock(mutex_);
  return cutOffCount_;
}

void RequestDeadlines::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = Clock::now();
    auto next = Clock::time_point::max();
    for (auto& [id, entry] : entries_) {
      if (!entry.deadline) continue;
      if (*entry.deadline > now) {
        next = std::min(next, *entry.deadline);
        continue;
      }
      // Only the reading side, and on the descriptor: the connection's thread still owns the
      // socket (and its TLS state), and may still answer 400 before it closes.
      ::shutdown(entry.socket.impl()->sockfd(), SHUT_RD);
      entry.deadline.reset();
      entry.cutOff = true;
      ++cutOffCount_;
    }
    if (next == Clock::time_point::max()) {
      changed_.wait(lock);
    } else {
      changed_.wait_until(lock, next);
    }
  }
}

RequestDeadlines::Watch::~Watch() {
  std::lock_guard lock(owner_.mutex_);
  owner_.entries_.erase(id_);
}

void RequestDeadlines::Watch::arm() {
  {
    std::lock_guard lock(owner_.mutex_);
    auto& entry = owner_.entries_.at(id_);
    if (entry.cutOff) return;
    entry.deadline = owner_.expired_ ? Clock::now() : Clock::now() + owner_.limit_;
  }
  owner_.changed_.notify_all();
}

void RequestDeadlines::Watch::disarm() {
  std::lock_guard lock(owner_.mutex_);
  owner_.entries_.at(id_).deadline.reset();
}

bool RequestDeadlines::Watch::cutOff() const {
  std::lock_guard lock(owner_.mutex_);
  return owner_.entries_.at(id_).cutOff;
}

}  // namespace telemetry::http
