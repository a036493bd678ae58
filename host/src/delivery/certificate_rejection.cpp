#include "delivery/certificate_rejection.hpp"

#include <Poco/Net/VerificationErrorArgs.h>
#include <openssl/x509_vfy.h>

namespace telemetry {

void CertificateRejection::onInvalidCertificate(const void*,
                                                Poco::Net::VerificationErrorArgs& error) {
  // OpenSSL may report several errors for one chain; the first says what went wrong.
  if (error_ == 0) {
    error_ = error.errorNumber();
    message_ = error.errorMessage();
  }
  error.setIgnoreError(false);
}

std::string CertificateRejection::reason() const {
  switch (error_) {
    case 0:
      return {};
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
      return "unknown CA";
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return "expired";
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return "not yet valid";
    default:
      return message_;
  }
}

}  // namespace telemetry
