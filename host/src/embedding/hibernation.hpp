#pragma once
// `telemetry run` hibernating: while nothing is due for a long time (telemetry.hibernate),
// the daemon replaces its process image with the small telemetry-idle program, which waits
// with about 1 MB resident instead of the daemon's 20, then executes `telemetry run` again
// in the same process (same PID for systemd) with the reporter's schedule in the
// environment. A stop signal that arrives meanwhile is handed on, so the final report
// still goes out.

#include <optional>
#include <string>
#include <string_view>

namespace telemetry {
struct ReporterSchedule;  // reporter.hpp; not included: telemetry-idle needs only the names
}

namespace telemetry::hibernation {

/// The reporter's schedule, as encodeSchedule wrote it.
inline constexpr const char* kScheduleVariable = "TELEMETRY_RESUME_SCHEDULE";
/// The number of the stop signal (SIGTERM, SIGINT) telemetry-idle received.
inline constexpr const char* kSignalVariable = "TELEMETRY_RESUME_SIGNAL";
/// The program, beside `telemetry`.
inline constexpr const char* kIdleProgram = "telemetry-idle";

/// One line of text; times as milliseconds since the epoch.
std::string encodeSchedule(const ReporterSchedule& schedule);
/// nullopt for anything encodeSchedule did not write.
std::optional<ReporterSchedule> decodeSchedule(std::string_view text);

}  // namespace telemetry::hibernation
