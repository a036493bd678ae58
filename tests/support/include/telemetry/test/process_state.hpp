// Whether a process still runs, from /proc: for tests that check nothing is left behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace telemetry::test {

/// A generous bound that only proves "does not hang": the timeouts under test are far shorter.
inline constexpr auto kNoHang = std::chrono::seconds(20);

/// Gone or a zombie: either way no longer running.
inline bool processIsGone(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return true;
  return stat[stat.rfind(')') + 2] == 'Z';
}

/// Waits until processIsGone(pid), at most `patience` (a hang guard); the last answer.
inline bool waitUntilGone(pid_t pid, std::chrono::milliseconds patience) {
  auto until = std::chrono::steady_clock::now() + patience;
  while (!processIsGone(pid) && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return processIsGone(pid);
}

}  // namespace telemetry::test
