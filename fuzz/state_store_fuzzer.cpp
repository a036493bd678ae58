// Fuzz target: a state store whose rows hold hostile values (a store edited by hand, damaged,
// or written by another version). The input is a list of writes made behind the store's
// back with SQLite's own types (NULL, integer, real, text, blob) into the installation row,
// pending counts, task workers and their hourly sketches; then every reading method runs.
// An exception is a clear refusal; a crash, hang or sanitizer report is a finding.
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "state/state_store.hpp"

namespace {

// The statements a write can be: one column of the installation row, or a row of a table.
constexpr std::array kWrites{
    "UPDATE installation SET installation_id = ?1",
    "UPDATE installation SET telemetry_enabled = ?1",
    "UPDATE installation SET created_at = ?1",
    "UPDATE installation SET initial_sent_at = ?1",
    "UPDATE installation SET initial_claimed_until = ?1",
    "UPDATE installation SET license_key = ?1",
    "UPDATE installation SET license_key_source = ?1",
    "UPDATE installation SET last_send_at = ?1",
    "UPDATE installation SET last_send_kind = ?1",
    "UPDATE installation SET last_send_status = ?1",
    "UPDATE installation SET last_send_error = ?1",
    "UPDATE installation SET last_full_delivered_at = ?1",
    "UPDATE installation SET workers_overflow_at = ?1",
    "INSERT OR REPLACE INTO pending_usage (kind, name, count) VALUES ('command', ?2, ?1)",
    "INSERT OR REPLACE INTO pending_usage (kind, name, count) VALUES ('metric', ?2, ?1)",
    "INSERT OR REPLACE INTO pending_usage (kind, name, count) VALUES (?1, ?2, 1)",
    "INSERT OR REPLACE INTO task_workers (worker_id, last_seen) VALUES (?2, ?1)",
    "INSERT OR REPLACE INTO task_worker_sketches (hour, registers) VALUES (?1, ?2)",
    "INSERT OR REPLACE INTO task_worker_sketches (hour, registers) VALUES (?3, ?1)",
    "UPDATE installation SET initial_waived_at = ?1",
    "INSERT OR REPLACE INTO pending_deletions (installation_id, idempotency_key, requested_at,"
    " last_try_at, last_error) VALUES (?2, ?2, ?1, ?1, ?2)",
    "INSERT OR REPLACE INTO pending_deletions (installation_id, idempotency_key, requested_at)"
    " VALUES (?1, ?1, ?3)",
};

// A fixed "now", so the hour of a stored sketch can match it: 2026-01-01T00:30:00Z.
const telemetry::StateStore::TimePoint kNow{std::chrono::milliseconds(1767227400000)};

// Takes bytes off the front of the input; past its end everything is zero or empty.
class InputReader {
 public:
  InputReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return size_ == 0; }
  std::uint8_t byte() { return size_ == 0 ? 0 : (--size_, *data_++); }
  std::uint64_t word() {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = value << 8 | byte();
    return value;
  }
  std::string_view bytes(std::size_t count) {
    count = std::min(count, size_);
    std::string_view taken(reinterpret_cast<const char*>(data_), count);
    data_ += count;
    size_ -= count;
    return taken;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
};

// The store under test, and a raw SQLite connection to the same file for the hostile writes.
struct Fixture {
  std::filesystem::path directory;
  std::unique_ptr<telemetry::StateStore> store;
  sqlite3* raw = nullptr;

  Fixture() {
    std::string pattern = (std::filesystem::temp_directory_path() / "state-store-fuzz-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    directory = pattern;
    const std::string file = (directory / "state.db").string();
    store = std::make_unique<telemetry::StateStore>(file, false, 4);
    if (sqlite3_open(file.c_str(), &raw) != SQLITE_OK) std::abort();
    exec("PRAGMA synchronous = OFF");
    exec("CREATE TEMP TABLE original AS SELECT * FROM main.installation");
  }
  ~Fixture() {
    store.reset();
    sqlite3_close(raw);
    std::filesystem::remove_all(directory);
  }

  void exec(const char* sql) {
    if (sqlite3_exec(raw, sql, nullptr, nullptr, nullptr) != SQLITE_OK) std::abort();
  }

  // Back to the store as it was created, so every input starts from the same rows.
  void reset() {
    exec(
        "DELETE FROM main.installation; INSERT INTO main.installation SELECT * FROM original;"
        "DELETE FROM pending_usage; DELETE FROM task_workers; DELETE FROM task_worker_sketches");
  }

  // One write of a value of the type the input picks; constraint failures are ignored.
  void write(InputReader& input) {
    const char* sql = kWrites[input.byte() % kWrites.size()];
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(raw, sql, -1, &statement, nullptr) != SQLITE_OK) std::abort();
    const std::uint8_t type = input.byte();
    switch (type % 5) {
      case 0:
        sqlite3_bind_null(statement, 1);
        break;
      case 1:
        sqlite3_bind_int64(statement, 1, static_cast<sqlite3_int64>(input.word()));
        break;
      case 2: {
        const std::uint64_t bits = input.word();
        double value = 0;
        std::memcpy(&value, &bits, sizeof value);
        sqlite3_bind_double(statement, 1, value);
        break;
      }
      case 3: {
        // Two length bytes: long enough for a whole sketch (2 * 16384 hex digits).
        const std::size_t length = std::size_t{input.byte()} << 8 | input.byte();
        const std::string_view text = input.bytes(length);
        sqlite3_bind_text(statement, 1, text.data(), static_cast<int>(text.size()),
                          SQLITE_TRANSIENT);
        break;
      }
      default: {
        const std::string_view blob = input.bytes(input.byte());
        sqlite3_bind_blob(statement, 1, blob.data(), static_cast<int>(blob.size()),
                          SQLITE_TRANSIENT);
        break;
      }
    }
    const std::string_view name = input.bytes(input.byte() % 8);
    sqlite3_bind_text(statement, 2, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    // The hour of kNow, where addUsage() reads the current sketch.
    sqlite3_bind_int64(statement, 3, 490896);
    sqlite3_step(statement);
    sqlite3_finalize(statement);
  }
};

// Runs one reading method; an exception is the store refusing what it read, which is fine.
template <typename Call>
void survive(Call call) {
  try {
    call();
  } catch (const std::exception&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  fixture.reset();
  InputReader input(data, size);
  for (int writes = 0; writes < 32 && !input.empty(); ++writes) fixture.write(input);

  telemetry::StateStore& store = *fixture.store;
  survive([&] { store.installationId(); });
  survive([&] { store.telemetryEnabled(); });
  survive([&] { store.initialReportSentAt(); });
  survive([&] { store.licenseKey(); });
  survive([&] { store.lastSend(); });
  survive([&] { store.lastFullReportDelivered(); });
  survive([&] { store.subtractUsage(store.pendingUsage()); });
  survive([&] { store.addUsage({}, {"worker-a", "worker-b"}, kNow); });
  survive([&] { store.uniqueTaskWorkers(kNow); });
  survive([&] { store.claimInitialReport(kNow, std::chrono::minutes(1)); });
  survive([&] { store.initialReportSettled(); });
  survive([&] {
    for (const auto& deletion : store.pendingDeletions()) {
      store.finishDeletion(deletion.installationId, kNow, "refused");
    }
  });
  survive([&] { store.requestDeletion(kNow); });
  return 0;
}
