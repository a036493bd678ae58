// Refuses every certificate OpenSSL could not verify and remembers why. Installed per TLS
// context, so Poco never falls back to its console handler that would prompt the user.
#pragma once

#include <string>

#include <Poco/Net/InvalidCertificateHandler.h>

namespace telemetry {

class CertificateRejection : public Poco::Net::InvalidCertificateHandler {
 public:
  CertificateRejection() : InvalidCertificateHandler(false) {}

  void onInvalidCertificate(const void* sender, Poco::Net::VerificationErrorArgs& error) override;

  /// Why the first refused certificate failed, for operators: "unknown CA", "expired", ...;
  /// empty when nothing was refused.
  std::string reason() const;

 private:
  int error_ = 0;
  std::string message_;
};

}  // namespace telemetry
