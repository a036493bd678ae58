/* The C API from C99: the header compiles as C, and a host runs without sending anything
 * (reporter-activate: false). argv[1] is a directory for the config and the state. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telemetry/c_api.h"

static int failures = 0;

#define CHECK(condition)                                                                \
  do {                                                                                  \
    if (!(condition)) {                                                                 \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, \
              #condition, telemetry_last_error());                                      \
      ++failures;                                                                       \
    }                                                                                   \
  } while (0)

static void pathIn(char* out, size_t size, const char* dir, const char* name) {
  snprintf(out, size, "%s/%s", dir, name);
}

int main(int argc, char** argv) {
  char config[4096];
  char state[4096];
  char audit[4096];
  FILE* file;
  telemetry_host* host = NULL;
  char* report = NULL;
  int enabled = -1;

  if (argc != 2) {
    fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
    return 2;
  }
  pathIn(config, sizeof config, argv[1], "telemetry.yaml");
  pathIn(state, sizeof state, argv[1], "state.db");
  pathIn(audit, sizeof audit, argv[1], "telemetry-sent.jsonl");
  remove(state);
  remove(audit);

  CHECK(telemetry_api_version() == TELEMETRY_API_VERSION);
  CHECK(strcmp(telemetry_last_error(), "") == 0);
  telemetry_host_destroy(NULL);

  CHECK(telemetry_host_create("/nonexistent/telemetry.yaml", &host) == TELEMETRY_CONFIG_ERROR);
  CHECK(host == NULL);
  CHECK(strstr(telemetry_last_error(), "/nonexistent/telemetry.yaml") != NULL);
  CHECK(telemetry_host_start(NULL) == TELEMETRY_INVALID_ARGUMENT);

  file = fopen(config, "w");
  if (file == NULL) {
    perror(config);
    return 2;
  }
  fprintf(file,
          "telemetry:\n"
          "  reporter-activate: false\n"
          "  initialize: true\n"
          "plugins: { paths: [no-plugins] }\n"
          "state:\n"
          "  path: %s\n"
          "  audit-log: %s\n",
          state, audit);
  fclose(file);

  CHECK(telemetry_host_create(config, &host) == TELEMETRY_OK);
  if (host == NULL) return 1;
  CHECK(telemetry_host_start(host) == TELEMETRY_OK);
  CHECK(telemetry_count_command(host, "SmokeCmd", (uint64_t)3) == TELEMETRY_OK);
  CHECK(telemetry_count_metric(host, "activity-instance-start", 2) == TELEMETRY_OK);
  CHECK(telemetry_count_metric(host, "no-such-metric", 1) == TELEMETRY_INVALID_ARGUMENT);
  CHECK(strstr(telemetry_last_error(), "no-such-metric") != NULL);
  CHECK(telemetry_worker_seen(host, "worker-1") == TELEMETRY_OK);
  CHECK(telemetry_worker_seen(host, "") == TELEMETRY_INVALID_ARGUMENT);
  CHECK(telemetry_is_enabled(host, &enabled) == TELEMETRY_OK);
  CHECK(enabled == 1);

  CHECK(telemetry_report_json(host, &report) == TELEMETRY_OK);
  CHECK(report != NULL && strstr(report, "\"SmokeCmd\"") != NULL);
  telemetry_free_string(report);
  telemetry_free_string(NULL);

  CHECK(telemetry_toggle(host, 0) == TELEMETRY_OK);
  CHECK(telemetry_is_enabled(host, &enabled) == TELEMETRY_OK);
  CHECK(enabled == 0);
  CHECK(telemetry_host_stop(host) == TELEMETRY_OK);
  CHECK(telemetry_host_stop(host) == TELEMETRY_OK);
  telemetry_host_destroy(host);

  if (failures == 0) printf("c-api-smoke: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
