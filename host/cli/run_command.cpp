#include <pthread.h>
#include <signal.h>

#include <memory>

#include "commands.hpp"
#include "exit_code.hpp"
#include "telemetry/api_server.hpp"
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
  // Bound before anything starts: a taken port or a bad users file stops the daemon with
  // exit code 2 instead of running without the API the operator asked for.
  std::unique_ptr<ApiServer> api;
  if (!config.api.listen.empty()) api = std::make_unique<ApiServer>(host, config.api);
  host.start();
  if (api) api->start();
  logger()->info("telemetry daemon running (pid {}); SIGTERM or SIGINT stops it", ::getpid());
  int signal = 0;
  sigwait(&stopSignals, &signal);
  logger()->info("{} received: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  if (api) api->stop();  // first: no request may use the host while it stops
  host.stop();
  return kSuccess;
}

}  // namespace telemetry::cli
