// The TLS context of our HTTPS servers: TLS 1.2 or newer, strong ciphers, no client
// certificates.
#pragma once

#include <filesystem>

#include <Poco/Net/Context.h>

namespace telemetry::http {

/// Throws std::invalid_argument naming the file when the certificate or key is missing,
/// and Poco's SSL exceptions when OpenSSL refuses them.
Poco::Net::Context::Ptr makeServerTlsContext(const std::filesystem::path& certificate,
                                             const std::filesystem::path& privateKey);

}  // namespace telemetry::http
