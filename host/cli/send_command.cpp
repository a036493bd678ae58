#include <iostream>
#include <memory>

#include "command_registry.hpp"
#include "config/time_text.hpp"
#include "deletion_messages.hpp"
#include "delivery/report_dispatcher.hpp"
#include "delivery/sending_permission.hpp"
#include "exit_code.hpp"
#include "telemetry/host.hpp"

namespace telemetry::cli {

struct SendOptions {
  bool initial = false;
};

namespace {

int outcome(const std::string& kind, const Delivery& delivery) {
  if (delivery.delivered) {
    std::cout << kind << " report delivered (HTTP " << delivery.httpStatus << ")\n";
    return success;
  }
  std::cerr << "telemetry: " << kind << " report not delivered after " << delivery.attempts
            << " attempt(s): " << delivery.error << '\n';
  return sendFailed;
}

}  // namespace

int runSend(const Config& config, const SendOptions& options) {
  if (auto why = sendingForbidden(config.telemetry)) {
    std::cerr << "telemetry: nothing sent: " << *why << '\n';
    return sendNotAllowed;
  }
  Host host(config);
  reportDeletions(host.sendPendingDeletions());
  host.logFirstRunNotice();
  if (options.initial) {
    std::optional<Delivery> delivery = host.dispatcher().sendInitial();
    if (delivery && delivery->withheld) {
      std::cerr << "telemetry: nothing sent: " << delivery->error << '\n';
      return sendNotAllowed;
    }
    if (!delivery) {
      auto sent = host.state().initialReportSentAt();
      std::string why = "is being sent by another process right now";
      if (sent) {
        why = "was already delivered on " + timeText(*sent);
      } else if (host.state().initialReportSettled()) {
        why = "was waived when this installation's data was deleted (disable --delete)";
      }
      std::cerr << "telemetry: nothing sent: the initial report " << why
                << "; it is sent only once\n";
      return sendNotAllowed;
    }
    return outcome("initial", *delivery);
  }
  if (!host.isEnabled()) {
    std::cerr << "telemetry: nothing sent: telemetry is disabled (enable it with "
                 "'telemetry enable')\n";
    return sendNotAllowed;
  }
  const Delivery delivery = host.dispatcher().sendFull();
  if (delivery.withheld) {
    std::cerr << "telemetry: nothing sent: " << delivery.error << '\n';
    return sendNotAllowed;
  }
  return outcome("full", delivery);
}

namespace {

void setupSend(CLI::App& app, CommandRun& chosen) {
  auto options = std::make_shared<SendOptions>();
  auto* send = app.add_subcommand(
      "send", "collect and send one report now, if sending is allowed; exit 3 when it fails");
  send->add_flag("--initial", options->initial,
                 "send the one-time initial report (only if it was never delivered)");
  send->footer(
      "The full report is sent only while telemetry is enabled. On a 2xx answer the "
      "sent counts are subtracted; otherwise they stay for the next report.");
  runWhenChosen(*send, chosen,
                [options](const Invocation& call) { return runSend(call.config, *options); });
}

[[maybe_unused]] const bool kRegistered = registerCommand({30, setupSend});

}  // namespace

}  // namespace telemetry::cli
