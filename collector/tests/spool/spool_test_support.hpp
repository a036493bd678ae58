// What the spool's tests share: a scratch folder per test, reports to spool, what a spool
// directory recovers.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "report/received_report.hpp"
#include "spool/spool_directory.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector::test {

/// A folder of its own for the running test, removed afterwards.
class ScratchFolder {
 public:
  ScratchFolder() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "-" + info->name();
    for (char& c : name) {
      if (c == '/') c = '-';
    }
    path_ = std::filesystem::temp_directory_path() /
            ("collector-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchFolder() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// The spec's full report of installation number `n` (each n its own installation).
inline ReceivedReport spooledReport(int n, const std::string& key = "", std::int64_t at = 1000) {
  std::string json = fixture("spec-example-report.json");
  const std::string id = "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3";
  char suffix[13];
  std::snprintf(suffix, sizeof suffix, "%012d", n);
  json.replace(json.find(id), id.size(), id.substr(0, 24) + suffix);
  return ReceivedReport::fromDocument(parse(json).root(), "ip-hash", key, at);
}

/// The payloads `directory` recovers, in order; what it found per segment in `found`.
inline std::vector<std::string> recoverAll(
    SpoolDirectory& directory, std::vector<SpoolDirectory::Recovered>* found = nullptr) {
  std::vector<std::string> payloads;
  auto recovered = directory.recover(
      [&](std::uint64_t, std::string_view payload) { payloads.emplace_back(payload); });
  if (found) *found = recovered;
  return payloads;
}

}  // namespace telemetry::collector::test
