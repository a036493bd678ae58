#include "telemetry/http/server_tls.hpp"

#include <Poco/Net/NetSSL.h>

#include <stdexcept>

namespace telemetry::http {

Poco::Net::Context::Ptr makeServerTlsContext(const std::filesystem::path& certificate,
                                             const std::filesystem::path& privateKey) {
  for (const auto& file : {certificate, privateKey}) {
    if (!std::filesystem::is_regular_file(file)) {
      throw std::invalid_argument(file.string() + ": TLS certificate or key file not found");
    }
  }
  Poco::Net::initializeSSL();
  Poco::Net::Context::Params params;
  params.certificateFile = certificate.string();
  params.privateKeyFile = privateKey.string();
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // clients have no certificates
  params.cipherList = "HIGH:!aNULL:!MD5:!RC4";
  params.loadDefaultCAs = false;
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                            Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  return context;
}

}  // namespace telemetry::http
