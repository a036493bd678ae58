#include "probes/sandbox/probe_confinement.hpp"

#include <fcntl.h>
#include <linux/landlock.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "probes/sandbox/sandbox_support.hpp"

namespace telemetry {
namespace {

// Newer than Debian 12's <linux/landlock.h> (ABI 1): Landlock ABI 2, 3 and 6.
constexpr std::uint64_t kAccessRefer = 1ULL << 13;
constexpr std::uint64_t kAccessTruncate = 1ULL << 14;
constexpr std::uint64_t kScopeAbstractUnixSocket = 1ULL << 0;
constexpr std::uint64_t kScopeSignal = 1ULL << 1;

/// landlock_ruleset_attr as of ABI 6; older kernels are given a prefix of it.
struct RulesetAttributes {
  std::uint64_t handledAccessFs;
  std::uint64_t handledAccessNet;
  std::uint64_t scoped;
};

std::string lastError(const std::string& what) { return what + ": " + std::strerror(errno); }

/// Every access right that changes the file system is handled, and none is granted (but
/// writing to /dev/null, where programs a plugin runs send their output).
std::string applyLandlock(bool allowNetwork) {
  const int abi = sandboxSupport().landlockAbi;
  if (abi == 0) return "landlock: not offered by this kernel";
  std::uint64_t writes = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                         LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
                         LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                         LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
                         LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (abi >= 2) writes |= kAccessRefer;
  if (abi >= 3) writes |= kAccessTruncate;
  RulesetAttributes attributes{writes, 0, 0};
  std::size_t size = sizeof(std::uint64_t);
  if (abi >= 6) {
    // Signals only within the probe's own processes; abstract sockets are local IPC a
    // plugin without network has no use for.
    attributes.scoped = kScopeSignal | (allowNetwork ? 0 : kScopeAbstractUnixSocket);
    size = sizeof attributes;
  }
  int ruleset = static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attributes, size, 0));
  if (ruleset < 0) return lastError("landlock_create_ruleset");
  std::string problem;
  int devNull = ::open("/dev/null", O_PATH | O_CLOEXEC);
  if (devNull >= 0) {
    landlock_path_beneath_attr rule{};
    rule.allowed_access = LANDLOCK_ACCESS_FS_WRITE_FILE | (abi >= 3 ? kAccessTruncate : 0);
    rule.parent_fd = devNull;
    if (::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0) {
      problem = lastError("landlock_add_rule(/dev/null)");
    }
    ::close(devNull);
  }
  if (problem.empty() && ::syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) {
    problem = lastError("landlock_restrict_self");
  }
  ::close(ruleset);
  return problem;
}

std::string applySeccomp(bool allowNetwork) {
  if (!sandboxSupport().seccomp) return "seccomp: not offered by this kernel";
  scmp_filter_ctx filter = ::seccomp_init(SCMP_ACT_ALLOW);
  if (filter == nullptr) return "seccomp_init failed";
  int rc = 0;
  if (!allowNetwork) {
    for (int family : {AF_INET, AF_INET6, AF_NETLINK, AF_PACKET}) {
      // The 32-bit comparison: the kernel ignores the upper half of an int argument, so a
      // 64-bit one could be dodged with junk there.
      rc = rc != 0 ? rc
                   : ::seccomp_rule_add(filter, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1,
                                        SCMP_A0_32(SCMP_CMP_EQ, static_cast<unsigned>(family)));
    }
  }
  // Other processes stay out of reach; a process of the probe cannot leave its process
  // group (the host kills the group); io_uring could open sockets past this filter.
  for (int call : {SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
                   SCMP_SYS(setsid), SCMP_SYS(setpgid), SCMP_SYS(io_uring_setup)}) {
    rc = rc != 0 ? rc : ::seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), call, 0);
  }
  if (rc == 0) rc = ::seccomp_load(filter);
  ::seccomp_release(filter);
  return rc == 0 ? std::string() : "seccomp: " + std::string(std::strerror(-rc));
}

/// The children of every thread of this process, from /proc (CONFIG_PROC_CHILDREN).
std::vector<pid_t> children() {
  std::vector<pid_t> pids;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream in(task.path() / "children");
    pid_t pid = 0;
    while (in >> pid) pids.push_back(pid);
  }
  return pids;
}

}  // namespace

std::vector<std::string> confineProbe(bool allowNetwork) {
  std::vector<std::string> missing;
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    missing.push_back(lastError("no_new_privs"));
  }
  // Orphans of the plugin's processes become ours, so endDescendants() finds them.
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) missing.push_back(lastError("subreaper"));
  if (std::string problem = applyLandlock(allowNetwork); !problem.empty()) {
    missing.push_back(problem);
  }
  if (std::string problem = applySeccomp(allowNetwork); !problem.empty()) {
    missing.push_back(problem);
  }
  return missing;
}

void endDescendants() {
  // Killing one makes its children ours; a few rounds catch every generation. A process
  // that forks faster than this is still in the process group the host kills.
  for (int round = 0; round < 16; ++round) {
    std::vector<pid_t> pids = children();
    if (pids.empty()) break;
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
    for (pid_t pid : pids) {
      while (::waitpid(pid, nullptr, __WALL) < 0 && errno == EINTR) {
      }
    }
  }
}

}  // namespace telemetry
