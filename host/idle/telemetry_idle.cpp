// telemetry-idle: the image `telemetry run` hibernates in (telemetry/hibernation.hpp).
// Usage: telemetry-idle UNTIL_EPOCH_MS -- PROGRAM [ARGS...]
// Waits until the wall-clock time UNTIL or a stop signal, then executes PROGRAM in this
// process; a SIGTERM or SIGINT is handed on as TELEMETRY_RESUME_SIGNAL. It uses only the C
// library, so it keeps about 1 MB resident.
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "embedding/hibernation.hpp"

namespace {

long long nowEpochMs() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<long long>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

}  // namespace

int main(int argc, char** argv) {
  char* end = nullptr;
  const long long until = argc >= 4 ? std::strtoll(argv[1], &end, 10) : 0;
  if (argc < 4 || end == argv[1] || *end != '\0' || std::strcmp(argv[2], "--") != 0) {
    std::fprintf(stderr, "usage: telemetry-idle UNTIL_EPOCH_MS -- PROGRAM [ARGS...]\n");
    return 2;
  }
  // Blocked already when `telemetry run` execs this; blocked here too when run by hand.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigprocmask(SIG_BLOCK, &stop, nullptr);

  for (long long now = nowEpochMs(); now < until; now = nowEpochMs()) {
    // The clock may be set meanwhile: look at it again at least every ten minutes.
    const long long wait = until - now < 600000 ? until - now : 600000;
    const timespec timeout{static_cast<time_t>(wait / 1000),
                           static_cast<long>(wait % 1000) * 1000000};
    const int received = sigtimedwait(&stop, nullptr, &timeout);
    if (received == SIGTERM || received == SIGINT) {
      char number[16];
      std::snprintf(number, sizeof number, "%d", received);
      setenv(telemetry::hibernation::kSignalVariable, number, 1);
      break;
    }
  }
  execv(argv[3], argv + 3);
  std::fprintf(stderr, "telemetry-idle: cannot execute %s: %s\n", argv[3], std::strerror(errno));
  return 1;
}
