// What the CLI says about deletion requests (`disable --delete`, and the pending ones that
// `enable` and `send` try again).
#pragma once

#include "telemetry/host.hpp"

namespace telemetry::cli {

/// Prints what one round of sending pending deletion requests came to; nothing when none
/// was pending. Returns the exit code it means: success (all acknowledged, or none
/// pending), sendNotAllowed (sending is forbidden) or sendFailed.
int reportDeletions(const DeletionOutcome& outcome);

}  // namespace telemetry::cli
