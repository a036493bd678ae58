#include "offline/offline_report_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <system_error>

namespace telemetry {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

// Closes the descriptor and removes the temporary file unless it was renamed into place.
class TemporaryFile {
 public:
  explicit TemporaryFile(const std::filesystem::path& target) : name_(target.string() + ".XXXXXX") {
    fd_ = ::mkstemp(name_.data());  // 0600, O_EXCL
    if (fd_ < 0) fail("cannot create a temporary file beside " + target.string());
  }
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!kept_) ::unlink(name_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  void writeAll(const std::string& text) {
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail("cannot write " + name_);
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd_) != 0) fail("cannot write " + name_);
    if (::close(fd_) != 0) {
      fd_ = -1;
      fail("cannot write " + name_);
    }
    fd_ = -1;
  }
  const std::string& name() const { return name_; }
  void keep() { kept_ = true; }

 private:
  std::string name_;
  int fd_ = -1;
  bool kept_ = false;
};

}  // namespace

OfflineReportFile::OfflineReportFile(std::filesystem::path path, bool overwrite)
    : path_(std::move(path)), overwrite_(overwrite) {
  if (toStdout()) return;
  std::error_code error;
  if (!overwrite_ && std::filesystem::symlink_status(path_, error).type() !=
                         std::filesystem::file_type::not_found) {
    throw OfflineReportFileError(path_.string() +
                                 " exists; give --force to replace it, or another name");
  }
}

std::string OfflineReportFile::line(const std::string& kind, const std::string& idempotencyKey,
                                    const std::string& payload) {
  return R"({"kind":")" + kind + R"(","idempotency-key":")" + idempotencyKey + R"(","report":)" +
         payload + "}\n";
}

std::string OfflineReportFile::destination() const {
  if (toStdout()) return "stdout";
  std::error_code error;
  const auto absolute = std::filesystem::absolute(path_, error);
  return "file:" + (error ? path_ : absolute).string();
}

Delivery OfflineReportFile::write(const std::string& kind, const std::string& idempotencyKey,
                                  const std::string& payload) {
  Delivery delivery;
  delivery.attempts = 1;
  const std::string text = line(kind, idempotencyKey, payload);
  try {
    if (toStdout()) {
      std::cout << text << std::flush;
      if (!std::cout) throw std::runtime_error("cannot write to standard output");
    } else {
      contents_ += text;
      try {
        replaceFile();
      } catch (...) {
        contents_.resize(contents_.size() - text.size());
        throw;
      }
    }
    ++reports_;
    delivery.delivered = true;
    delivery.wireBytes = text.size();
  } catch (const std::exception& e) {
    delivery.error = e.what();
  }
  return delivery;
}

void OfflineReportFile::replaceFile() {
  TemporaryFile temporary(path_);
  temporary.writeAll(contents_);
  // The first report must not replace a file that appeared since the constructor's check:
  // link(2) refuses an existing name where rename(2) would replace it.
  if (reports_ == 0 && !overwrite_) {
    if (::link(temporary.name().c_str(), path_.c_str()) != 0) {
      if (errno == EEXIST) {
        throw OfflineReportFileError(path_.string() +
                                     " exists; give --force to replace it, or another name");
      }
      fail("cannot create " + path_.string());
    }
    return;  // the temporary name is removed; the file stays under its own name
  }
  if (::rename(temporary.name().c_str(), path_.c_str()) != 0) {
    fail("cannot create " + path_.string());
  }
  temporary.keep();
}

}  // namespace telemetry
