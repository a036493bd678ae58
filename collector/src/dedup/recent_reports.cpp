#include "dedup/recent_reports.hpp"

#include <algorithm>

namespace telemetry::collector {

RecentReports::RecentReports(std::chrono::seconds window, std::size_t capacity)
    : window_(window), capacity_(std::max<std::size_t>(capacity, 1)) {}

std::string RecentReports::payloadName(const ReceivedReport& report) {
  return payloadName(report, report.ipHash);
}

std::string RecentReports::payloadName(const ReceivedReport& report, const std::string& ipHash) {
  // Hex digests and hashes hold no '\n', so the three parts cannot run into each other.
  return report.installation + '\n' + report.payloadDigest + '\n' + ipHash;
}

std::unordered_map<std::string, RecentReports::Remembered>& RecentReports::table(Rule rule) {
  if (rule == Rule::key) return keys_;
  if (rule == Rule::initial) return initials_;
  return payloads_;
}

RecentReports::Verdict RecentReports::claim(const ReceivedReport& report) {
  std::lock_guard lock(mutex_);
  forgetOld(report.receivedAt);
  // The store's order (ReportStore::write): key, initial report, payload without a key.
  if (!report.idempotencyKey.empty()) {
    if (auto found = keys_.find(report.idempotencyKey); found != keys_.end()) {
      return found->second.digest == report.payloadDigest ? Verdict::duplicate : Verdict::keyReused;
    }
  }
  if (report.initial && initials_.contains(report.installation)) return Verdict::duplicate;
  if (report.idempotencyKey.empty()) {
    const auto seenWithin = [&](const std::string& ipHash) {
      auto found = payloads_.find(payloadName(report, ipHash));
      return found != payloads_.end() && found->second.at >= report.receivedAt - window_.count();
    };
    // Across an IP key rotation the same sender's earlier copy carries a former key's hash.
    if (seenWithin(report.ipHash) || std::ranges::any_of(report.formerIpHashes, seenWithin)) {
      return Verdict::duplicate;
    }
  }
  rememberLocked(report);
  forgetOld(report.receivedAt);
  return Verdict::fresh;
}

void RecentReports::release(const ReceivedReport& report) {
  std::lock_guard lock(mutex_);
  const auto forget = [&](Rule rule, const std::string& name) {
    auto& entries = table(rule);
    auto found = entries.find(name);
    if (found != entries.end() && found->second.at == report.receivedAt) entries.erase(found);
  };
  if (!report.idempotencyKey.empty()) forget(Rule::key, report.idempotencyKey);
  if (report.initial) forget(Rule::initial, report.installation);
  forget(Rule::payload, payloadName(report));
}

void RecentReports::remember(const ReceivedReport& report) {
  std::lock_guard lock(mutex_);
  rememberLocked(report);
  forgetOld(report.receivedAt);
}

std::size_t RecentReports::size() const {
  std::lock_guard lock(mutex_);
  return arrivals_.size();
}

void RecentReports::rememberLocked(const ReceivedReport& report) {
  const auto add = [&](Rule rule, std::string name, std::string digest) {
    table(rule)[name] = Remembered{std::move(digest), report.receivedAt};
    arrivals_.push_back(Arrival{rule, std::move(name), report.receivedAt});
  };
  if (!report.idempotencyKey.empty()) add(Rule::key, report.idempotencyKey, report.payloadDigest);
  if (report.initial) add(Rule::initial, report.installation, {});
  add(Rule::payload, payloadName(report), {});
}

void RecentReports::forgetOld(std::int64_t now) {
  const std::int64_t since = now - window_.count();
  while (!arrivals_.empty() && (arrivals_.front().at < since || arrivals_.size() > capacity_)) {
    const Arrival& oldest = arrivals_.front();
    auto& entries = table(oldest.rule);
    // A newer arrival under the same name replaced this one: that one stays.
    auto found = entries.find(oldest.name);
    if (found != entries.end() && found->second.at == oldest.at) entries.erase(found);
    arrivals_.pop_front();
  }
}

}  // namespace telemetry::collector
