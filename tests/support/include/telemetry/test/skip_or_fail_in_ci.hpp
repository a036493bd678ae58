// A test that lacks a package or a privilege skips on a developer's machine, but under
// CI=true (where scripts/test installs every package and runs as root) such a skip would
// hide a gap, so there it fails. tests/support/skip_or_fail_in_ci.sh is the shell twin.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace telemetry::test {

/// True when the environment says CI=true.
inline bool runsInCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

}  // namespace telemetry::test

/// Skips the current test (or fails it under CI=true) with REASON, and returns from the
/// test body or SetUp(). A failure names the caller's file and line.
#define TELEMETRY_SKIP_OR_FAIL_IN_CI(reason)                                                 \
  do {                                                                                       \
    if (::telemetry::test::runsInCi()) {                                                     \
      GTEST_FAIL() << (reason)                                                               \
                   << " (CI=true: a missing package or privilege is a failure, not a skip)"; \
    }                                                                                        \
    GTEST_SKIP() << (reason);                                                                \
  } while (false)
