/* The stable C API of the telemetry host, for products written in other languages (Python
 * ctypes, Go cgo, Rust, Java FFM ...). Plain C99; link with libtelemetry-c.so (SONAME
 * libtelemetry-c.so.1).
 *
 * Every function returns a status code from telemetry_status (or a plain value where said)
 * and never lets a C++ exception escape. On failure, telemetry_last_error() returns a
 * message saying what went wrong, for the calling thread.
 *
 * Thread safety: the counting functions (telemetry_count_command, telemetry_count_metric,
 * telemetry_worker_seen) may be called from any number of threads at once on the same
 * handle; so may telemetry_toggle, telemetry_is_enabled and telemetry_report_json.
 * telemetry_host_create and telemetry_host_destroy must not run concurrently with any other
 * call on the same handle. telemetry_host_start and telemetry_host_stop are serialized
 * with each other internally.
 *
 * Compatibility: functions are only ever added; telemetry_api_version() tells which set a
 * loaded library has. The opaque handle's layout is private.
 */
#ifndef TELEMETRY_C_API_H
#define TELEMETRY_C_API_H

#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define TELEMETRY_C_API __attribute__((visibility("default")))
#else
#define TELEMETRY_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** The version of this API that telemetry_api_version() returns: 2 added
 * telemetry_set_license_key. */
#define TELEMETRY_API_VERSION 2

/** What every function that can fail returns. */
typedef enum telemetry_status {
  TELEMETRY_OK = 0,               /**< success */
  TELEMETRY_ERROR = 1,            /**< any other failure: the state store, the network ... */
  TELEMETRY_CONFIG_ERROR = 2,     /**< telemetry.yaml is missing, unreadable or invalid */
  TELEMETRY_INVALID_ARGUMENT = 3, /**< a NULL handle/pointer, unknown metric, bad worker id */
  TELEMETRY_OUT_OF_MEMORY = 4     /**< an allocation failed */
} telemetry_status;

/** An embedded telemetry host: its state store, plugins, sender and reporter thread. */
typedef struct telemetry_host telemetry_host;

/** The API version of the loaded library: TELEMETRY_API_VERSION (2) for this header. */
TELEMETRY_C_API int telemetry_api_version(void);

/** The message of the last failure on the calling thread, "" when there was none. Valid
 * until the next failing call on this thread; never NULL. */
TELEMETRY_C_API const char* telemetry_last_error(void);

/** Loads the configuration and opens the host (state store, plugins); starts nothing.
 * config_path NULL or "" looks the file up as the CLI does: $TELEMETRY_CONFIG, else
 * ./telemetry.yaml, else /etc/telemetry/telemetry.yaml, else built-in defaults.
 * On success *out is the new handle; on failure *out is NULL and the status is
 * TELEMETRY_CONFIG_ERROR (the message names the file and line) or TELEMETRY_ERROR. */
TELEMETRY_C_API int telemetry_host_create(const char* config_path, telemetry_host** out);

/** Starts the reporter thread (and the StatsD listener when configured) unless
 * reporter-activate is false or DO_NOT_TRACK is set. Starting twice does nothing; a stopped
 * host does not start again (destroy it and create a new one). */
TELEMETRY_C_API int telemetry_host_start(telemetry_host* host);

/** Stops the reporter, sending the final report when telemetry is enabled, and stores the
 * counts. Safe to call twice. */
TELEMETRY_C_API int telemetry_host_stop(telemetry_host* host);

/** Stops the host if needed and frees it. NULL does nothing. */
TELEMETRY_C_API void telemetry_host_destroy(telemetry_host* host);

/** The opt-in switch: enabled non-zero enables telemetry, 0 disables it (dropping counts
 * not yet sent). Stored in the state store, so it persists across restarts. */
TELEMETRY_C_API int telemetry_toggle(telemetry_host* host, int enabled);

/** Sets *out to 1 when telemetry is enabled, else 0 (also while nobody decided yet). */
TELEMETRY_C_API int telemetry_is_enabled(telemetry_host* host, int* out);

/** Sets *out to the opt-in decision: 1 enabled, 0 disabled, -1 not decided yet (no
 * `initialize` in the configuration and nobody toggled it: only the initial report is sent,
 * and a product may ask its administrator). */
TELEMETRY_C_API int telemetry_opt_in(telemetry_host* host, int* out);

/** Adds n to the count of the command `name` (UTF-8, NUL-terminated). Lock-free once the
 * name has been seen. Names beyond the configured limit are counted as "other". */
TELEMETRY_C_API int telemetry_count_command(telemetry_host* host, const char* name, uint64_t n);

/** Adds n to one of the five metrics by its report name: "root-process-instance-start",
 * "activity-instance-start", "executed-decision-instances", "executed-decision-elements",
 * "unique-task-workers". Any other name is TELEMETRY_INVALID_ARGUMENT. */
TELEMETRY_C_API int telemetry_count_metric(telemetry_host* host, const char* name, uint64_t n);

/** Records a sighting of the task worker `id`; an empty or too long id is
 * TELEMETRY_INVALID_ARGUMENT. */
TELEMETRY_C_API int telemetry_worker_seen(telemetry_host* host, const char* id);

/** The full report as it would be sent now, as JSON text in *out (NUL-terminated; free it
 * with telemetry_free_string). Sends nothing. On failure *out is NULL. */
TELEMETRY_C_API int telemetry_report_json(telemetry_host* host, char** out);

/** Frees a string returned by this library. NULL does nothing. */
TELEMETRY_C_API void telemetry_free_string(char* text);

/** Stores the product's license key (UTF-8, NUL-terminated) as `telemetry license set`
 * does (the spec's ManagementService#setLicenseKey): its signature is not kept, the report
 * carries it from then on. Since API version 2. */
TELEMETRY_C_API int telemetry_set_license_key(telemetry_host* host, const char* key);

#ifdef __cplusplus
}
#endif

#endif /* TELEMETRY_C_API_H */
