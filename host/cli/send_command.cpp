#include <iostream>
#include <memory>

#include "command_registry.hpp"
#include "config/time_text.hpp"
#include "deletion_messages.hpp"
#include "delivery/report_dispatcher.hpp"
#include "delivery/sending_permission.hpp"
#include "exit_code.hpp"
#include "offline/offline_report_file.hpp"
#include "telemetry/host.hpp"

namespace telemetry::cli {

struct SendOptions {
  bool initial = false;
  std::string to;  ///< empty: the endpoint
  bool force = false;
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

/// `send --to FILE`: what `send` would deliver (the initial report if still owed, then the
/// full report; with --initial only the former), written to FILE and booked as sent.
int runSendToFile(Host& host, const SendOptions& options) {
  if (!options.initial && !host.isEnabled()) {
    std::cerr << "telemetry: nothing written: telemetry is disabled (enable it with "
                 "'telemetry enable')\n";
    return sendNotAllowed;
  }
  std::optional<OfflineReportFile> file;
  try {
    file.emplace(options.to, options.force);
  } catch (const OfflineReportFileError& e) {
    std::cerr << "telemetry: nothing written: " << e.what() << '\n';
    return usageError;
  }
  auto& dispatcher = host.dispatcher();
  dispatcher.redirect([&file](const std::string& kind, const std::string& payload,
                              const std::string& key) { return file->write(kind, key, payload); },
                      file->destination());
  // Stdout carries the reports: every message goes to stderr then.
  std::ostream& say = file->toStdout() ? std::cerr : std::cout;
  const std::optional<Delivery> initial =
      host.state().initialReportSettled() ? std::nullopt : dispatcher.sendInitial();
  if (initial && !initial->delivered) {
    std::cerr << "telemetry: nothing written: " << initial->error << '\n';
    return initial->withheld ? sendNotAllowed : sendFailed;
  }
  if (options.initial && !initial) {
    std::cerr << "telemetry: nothing written: the initial report is not owed (it was sent, "
                 "waived, or is being sent by another process right now)\n";
    return sendNotAllowed;
  }
  int code = success;
  if (!options.initial) {
    const Delivery full = dispatcher.sendFull();
    if (!full.delivered) {
      std::cerr << "telemetry: full report not written: " << full.error << '\n';
      code = full.withheld ? sendNotAllowed : sendFailed;
      if (file->reports() == 0) return code;
    }
  }
  say << "wrote " << file->reports() << " report(s) to "
      << (file->toStdout() ? std::string("standard output") : file->path().string())
      << "; they count as sent.\n"
      << "Upload the file to the collector: 'telemetry-collector import FILE' on its host, "
         "or POST it to /imports with the admin token (docs/operations.md, \"Offline "
         "installations\").\n";
  return code;
}

int runSend(const Config& config, const SendOptions& options) {
  if (auto why = sendingForbidden(config.telemetry)) {
    std::cerr << "telemetry: nothing " << (options.to.empty() ? "sent" : "written") << ": " << *why
              << '\n';
    return sendNotAllowed;
  }
  Host host(config);
  if (!options.to.empty()) return runSendToFile(host, options);
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
  auto* to =
      send->add_option("--to", options->to,
                       "write the reports to FILE ('-' for standard output) instead of sending "
                       "them, for an installation that cannot reach the collector")
          ->type_name("FILE");
  send->add_flag("--force", options->force, "with --to: replace FILE if it exists")->needs(to);
  send->footer(
      "The full report is sent only while telemetry is enabled. On a 2xx answer the "
      "sent counts are subtracted; otherwise they stay for the next report. With --to FILE "
      "the reports (the initial one first, if owed) are written to FILE, one JSON object per "
      "line with its Idempotency-Key, and count as sent; import it on the collector with "
      "'telemetry-collector import FILE'.");
  runWhenChosen(*send, chosen,
                [options](const Invocation& call) { return runSend(call.config, *options); });
}

[[maybe_unused]] const bool kSendRegistered = registerCommand({30, setupSend});

}  // namespace

}  // namespace telemetry::cli
