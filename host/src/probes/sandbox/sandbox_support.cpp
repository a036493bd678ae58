#include "probes/sandbox/sandbox_support.hpp"

#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <mutex>

#include "config/logging.hpp"

namespace telemetry {
namespace {

SandboxSupport detect() {
  SandboxSupport support;
  long abi = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  support.landlockAbi = abi > 0 ? static_cast<int>(abi) : 0;
  std::uint32_t action = SECCOMP_RET_ERRNO;
  support.seccomp = ::syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
  return support;
}

}  // namespace

std::vector<std::string> SandboxSupport::gaps() const {
  std::vector<std::string> gaps;
  if (landlockAbi == 0) gaps.emplace_back("landlock (writes stay allowed)");
  if (!seccomp) {
    gaps.emplace_back(
        "seccomp (undeclared network, ptrace and leaving the process group stay allowed)");
  }
  return gaps;
}

const SandboxSupport& sandboxSupport() {
  static const SandboxSupport support = detect();
  return support;
}

void logSandboxGapsOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (const std::string& gap : sandboxSupport().gaps()) {
      logger()->warn(
          "this kernel offers no {} to confine probes; plugins.sandbox: strict "
          "refuses to run them so",
          gap);
    }
  });
}

}  // namespace telemetry
