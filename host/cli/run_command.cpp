#include <pthread.h>
#include <signal.h>

#include "commands.hpp"
#include "exit_code.hpp"
#include "telemetry/host.hpp"
#include "telemetry/logging.hpp"

namespace telemetry::cli {

int runDaemon(const Config& config) {
  // Blocked before any thread starts, so every thread inherits the mask and the signal
  // waits for sigwait below instead of killing the process mid-send.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  Host host(config);
  host.start();
  logger()->info("telemetry daemon running (pid {}); SIGTERM or SIGINT stops it", ::getpid());
  int signal = 0;
  sigwait(&stopSignals, &signal);
  logger()->info("{} received: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  host.stop();
  return kSuccess;
}

}  // namespace telemetry::cli
