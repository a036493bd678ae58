// The C API over telemetry::Host: every entry point catches everything and turns it into a
// status code plus a thread-local message, so no exception crosses into C.
#include "telemetry/c_api.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "telemetry/config_error.hpp"
#include "telemetry/config_loader.hpp"
#include "telemetry/host.hpp"

struct telemetry_host {
  explicit telemetry_host(telemetry::Config config) : host(std::move(config)) {}

  telemetry::Host host;
  std::mutex lifecycle;  ///< serializes start and stop
};

namespace {

thread_local std::string lastError;

/// Records `function: detail` as this thread's last error and returns status.
int fail(int status, const char* function, std::string_view detail) noexcept {
  try {
    lastError.assign(function).append(": ").append(detail);
  } catch (...) {
    // Keeping the message failed (out of memory); the status still says what happened.
  }
  return status;
}

/// Runs `body`, mapping whatever it throws to a status code and lastError.
template <typename Body>
int guarded(const char* function, Body&& body) noexcept {
  try {
    return body();
  } catch (const telemetry::ConfigError& e) {
    return fail(TELEMETRY_CONFIG_ERROR, function, e.what());
  } catch (const std::bad_alloc&) {
    return fail(TELEMETRY_OUT_OF_MEMORY, function, "out of memory");
  } catch (const std::exception& e) {
    return fail(TELEMETRY_ERROR, function, e.what());
  } catch (...) {
    return fail(TELEMETRY_ERROR, function, "unknown error");
  }
}

int nullArgument(const char* function, const char* argument) noexcept {
  try {
    return fail(TELEMETRY_INVALID_ARGUMENT, function,
                std::string("'") + argument + "' must not be NULL");
  } catch (...) {
    return fail(TELEMETRY_INVALID_ARGUMENT, function, "an argument must not be NULL");
  }
}

}  // namespace

extern "C" {

int telemetry_api_version(void) { return TELEMETRY_API_VERSION; }

const char* telemetry_last_error(void) { return lastError.c_str(); }

int telemetry_host_create(const char* config_path, telemetry_host** out) {
  if (out == nullptr) return nullArgument(__func__, "out");
  *out = nullptr;
  return guarded(__func__, [&]() -> int {
    std::optional<std::string> option;
    if (config_path != nullptr && *config_path != '\0') option = config_path;
    *out = new telemetry_host(telemetry::loadEffectiveConfig(option));
    return TELEMETRY_OK;
  });
}

int telemetry_host_start(telemetry_host* host) {
  if (host == nullptr) return nullArgument(__func__, "host");
  return guarded(__func__, [&]() -> int {
    std::lock_guard lock(host->lifecycle);
    host->host.start();
    return TELEMETRY_OK;
  });
}

int telemetry_host_stop(telemetry_host* host) {
  if (host == nullptr) return nullArgument(__func__, "host");
  return guarded(__func__, [&]() -> int {
    std::lock_guard lock(host->lifecycle);
    host->host.stop();
    return TELEMETRY_OK;
  });
}

void telemetry_host_destroy(telemetry_host* host) {
  // ~Host stops it and never throws; guarded anyway, for a destructor of a member.
  guarded(__func__, [&]() -> int {
    delete host;
    return TELEMETRY_OK;
  });
}

int telemetry_toggle(telemetry_host* host, int enabled) {
  if (host == nullptr) return nullArgument(__func__, "host");
  return guarded(__func__, [&]() -> int {
    host->host.toggle(enabled != 0);
    return TELEMETRY_OK;
  });
}

int telemetry_is_enabled(telemetry_host* host, int* out) {
  if (host == nullptr) return nullArgument(__func__, "host");
  if (out == nullptr) return nullArgument(__func__, "out");
  return guarded(__func__, [&]() -> int {
    *out = host->host.isEnabled() ? 1 : 0;
    return TELEMETRY_OK;
  });
}

int telemetry_opt_in(telemetry_host* host, int* out) {
  if (host == nullptr) return nullArgument(__func__, "host");
  if (out == nullptr) return nullArgument(__func__, "out");
  return guarded(__func__, [&]() -> int {
    const std::optional<bool> optIn = host->host.optIn();
    *out = optIn ? (*optIn ? 1 : 0) : -1;
    return TELEMETRY_OK;
  });
}

int telemetry_count_command(telemetry_host* host, const char* name, uint64_t n) {
  if (host == nullptr) return nullArgument(__func__, "host");
  if (name == nullptr) return nullArgument(__func__, "name");
  host->host.usage().command(name, n);  // noexcept
  return TELEMETRY_OK;
}

int telemetry_count_metric(telemetry_host* host, const char* name, uint64_t n) {
  if (host == nullptr) return nullArgument(__func__, "host");
  if (name == nullptr) return nullArgument(__func__, "name");
  if (host->host.usage().metric(std::string_view(name), n)) return TELEMETRY_OK;  // noexcept
  const char* function = __func__;
  return guarded(function, [&]() -> int {
    return fail(TELEMETRY_INVALID_ARGUMENT, function,
                std::string("unknown metric '") + name +
                    "'; expected root-process-instance-start, activity-instance-start, "
                    "executed-decision-instances, executed-decision-elements or "
                    "unique-task-workers");
  });
}

int telemetry_worker_seen(telemetry_host* host, const char* id) {
  if (host == nullptr) return nullArgument(__func__, "host");
  if (id == nullptr) return nullArgument(__func__, "id");
  const char* function = __func__;
  return guarded(function, [&]() -> int {
    if (host->host.usage().worker(id)) return TELEMETRY_OK;
    return fail(TELEMETRY_INVALID_ARGUMENT, function,
                "a worker id must not be empty or longer than the usage name limit");
  });
}

int telemetry_report_json(telemetry_host* host, char** out) {
  if (host == nullptr) return nullArgument(__func__, "host");
  if (out == nullptr) return nullArgument(__func__, "out");
  *out = nullptr;
  return guarded(__func__, [&]() -> int {
    const std::string report = host->host.report();
    auto* text = static_cast<char*>(std::malloc(report.size() + 1));
    if (text == nullptr) throw std::bad_alloc();
    std::memcpy(text, report.c_str(), report.size() + 1);
    *out = text;
    return TELEMETRY_OK;
  });
}

void telemetry_free_string(char* text) { std::free(text); }

int telemetry_set_license_key(telemetry_host* host, const char* key) {
  if (host == nullptr) return nullArgument(__func__, "host");
  if (key == nullptr) return nullArgument(__func__, "key");
  const char* function = __func__;
  return guarded(function, [&]() -> int {
    if (*key == '\0') return fail(TELEMETRY_INVALID_ARGUMENT, function, "the license key is empty");
    host->host.setLicenseKey(key, telemetry::LicenseKeySource::management);
    return TELEMETRY_OK;
  });
}

}  // extern "C"
