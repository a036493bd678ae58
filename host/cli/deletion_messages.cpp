#include "deletion_messages.hpp"

#include <iostream>

#include "exit_code.hpp"

namespace telemetry::cli {

int reportDeletions(const DeletionOutcome& outcome) {
  if (outcome.pending == 0) return success;
  if (outcome.forbidden) {
    std::cerr << "telemetry: " << outcome.pending
              << " deletion request(s) not sent: " << *outcome.forbidden
              << "; they stay pending until sending is allowed\n";
    return sendNotAllowed;
  }
  if (outcome.acknowledged == outcome.pending) {
    std::cout << "deletion request acknowledged by the collector: it deletes every report of "
                 "the old installation id and drops any that still arrive\n";
    return success;
  }
  std::cerr << "telemetry: " << outcome.pending - outcome.acknowledged
            << " deletion request(s) not delivered: " << outcome.error
            << "; kept in the state store and sent again by 'telemetry run' or the next "
               "'telemetry send' or 'telemetry enable'\n";
  return sendFailed;
}

}  // namespace telemetry::cli
