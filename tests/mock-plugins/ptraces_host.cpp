// Tries to attach to the host that started its child (PTRACE_SEIZE, which does not stop
// it) and to read the host's memory, and answers what happened:
// {"ptrace": "ok" | error, "process_vm_readv": "ok" | error}.
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <telemetry/plugin/plugin.hpp>

namespace {

std::string outcome(bool ok) { return ok ? "ok" : std::strerror(errno); }

class PtracesHostProbe final : public telemetry::plugin::Probe {
 public:
  telemetry::plugin::Result collect(const telemetry::plugin::Context&) override {
    const pid_t host = ::getppid();
    bool attached = ::ptrace(PTRACE_SEIZE, host, nullptr, nullptr) == 0;
    std::string ptraceText = outcome(attached);
    if (attached) ::ptrace(PTRACE_DETACH, host, nullptr, nullptr);
    char byte = 0;
    iovec local{&byte, 1};
    iovec remote{reinterpret_cast<void*>(&byte), 1};  // same layout: the address may not exist
    bool read = ::process_vm_readv(host, &local, 1, &remote, 1, 0) >= 0 || errno == EFAULT;
    return telemetry::plugin::Result::value(R"({"ptrace":")" + ptraceText +
                                            R"(","process_vm_readv":")" + outcome(read) + "\"}");
  }
};

}  // namespace

TELEMETRY_PLUGIN(PtracesHostProbe, "mock-ptraces-host", "1.0.0",
                 "/product/internals/mock-ptraces-host", "tries to trace the host")
