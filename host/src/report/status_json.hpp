// The status as JSON: what `telemetry status --json` prints and GET /telemetry/status
// answers, so both show the same keys.
#pragma once

#include <Poco/JSON/Object.h>

#include "telemetry/host.hpp"

namespace telemetry {

/// "enabled", "disabled", or "unset" while nobody decided.
std::string optInText(const std::optional<bool>& optIn);

/// installation, enabled, opt-in, reporter-activate, sending-forbidden, initial-report-sent,
/// initial-report-waived, last-send {time, kind, http-status, error}, next-send, endpoint,
/// state, audit-log, license-key-stored, pending-deletions [old ids]; times in ISO 8601 UTC,
/// absent values as null.
Poco::JSON::Object::Ptr toJson(const HostStatus& status);

}  // namespace telemetry
