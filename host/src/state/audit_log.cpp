#include "state/audit_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>
#include <system_error>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

namespace telemetry {
namespace {

std::string isoTime(std::chrono::system_clock::time_point at) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(micros), "%Y-%m-%dT%H:%M:%S.%iZ");
}

}  // namespace

AuditLog::AuditLog(std::filesystem::path path) : path_(std::move(path)) {}

void AuditLog::append(std::chrono::system_clock::time_point at, const std::string& kind,
                      const std::string& endpoint, const std::string& idempotencyKey,
                      const Delivery& delivery, const std::string& payload) {
  if (path_.empty()) return;
  Poco::JSON::Object header(Poco::JSON_PRESERVE_KEY_ORDER);
  header.set("time", isoTime(at));
  header.set("kind", kind);
  header.set("endpoint", endpoint);
  header.set("idempotency-key", idempotencyKey);
  header.set("status", delivery.httpStatus);
  header.set("delivered", delivery.delivered);
  header.set("attempts", delivery.attempts);
  header.set("error", delivery.error);
  // The report below is the JSON before compression; these say how it travelled.
  if (!delivery.contentEncoding.empty()) {
    header.set("content-encoding", delivery.contentEncoding);
    header.set("wire-bytes", delivery.wireBytes);
  }
  std::ostringstream line;
  header.stringify(line);
  std::string text = line.str();
  // The payload is spliced in byte for byte: re-serialising it could change what we claim
  // was sent.
  text.pop_back();
  text += ",\"report\":" + payload + "}\n";

  std::lock_guard lock(mutex_);
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path());
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), path_.string());
  const ssize_t written = ::write(fd, text.data(), text.size());
  const int error = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(text.size())) {
    throw std::system_error(written < 0 ? error : EIO, std::generic_category(),
                            "writing " + path_.string());
  }
}

}  // namespace telemetry
