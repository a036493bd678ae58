// The server TLS context of our HTTPS servers against real TLS clients: TLS 1.2 and 1.3 are
// served, TLS 1.0 and 1.1 refused.
#include "telemetry/http/server_tls.hpp"

#include <openssl/ssl.h>

#include <future>
#include <stdexcept>

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>

#include "telemetry/test/test_receiver.hpp"

namespace {

using telemetry::http::makeServerTlsContext;

/// A client that offers exactly `version`. Security level 0: OpenSSL 3 refuses TLS 1.0 and
/// 1.1 at any higher level, and the client must be able to offer them for the test to mean
/// anything.
Poco::Net::Context::Ptr clientOffering(int version) {
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                             Poco::Net::Context::VERIFY_NONE, 9, false, "ALL:@SECLEVEL=0");
  SSL_CTX* native = context->sslContext();
  SSL_CTX_set_security_level(native, 0);
  SSL_CTX_set_min_proto_version(native, version);
  SSL_CTX_set_max_proto_version(native, version);
  return context;
}

/// The server's context as our servers make it, with the security level lowered to 0: on
/// OpenSSL 3 the level alone would refuse TLS 1.1, and the test is about our own floor,
/// which must hold where an older OpenSSL or a system policy allows old versions.
Poco::Net::Context::Ptr serverContext() {
  Poco::Net::Context::Ptr context =
      makeServerTlsContext(telemetry::test::certificateFile("server.pem"),
                           telemetry::test::certificateFile("server.key"));
  SSL_CTX_set_security_level(context->sslContext(), 0);
  return context;
}

/// Whether a TLS handshake between `client` and `server` succeeds, as the client sees it.
bool handshakeSucceeds(Poco::Net::Context::Ptr server, Poco::Net::Context::Ptr client) {
  Poco::Net::SecureServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0), 1, server);
  auto accepted = std::async(std::launch::async, [&] {
    Poco::Net::StreamSocket connection = listener.acceptConnection();
    connection.setReceiveTimeout(Poco::Timespan(30, 0));  // a hang guard
    char byte = 0;
    try {
      connection.receiveBytes(&byte, 1);  // runs the server's side of the handshake
    } catch (const Poco::Exception&) {
      // refused: the client says how
    }
  });
  bool succeeded = false;
  try {
    Poco::Net::SecureStreamSocket socket(listener.address(), client);
    socket.completeHandshake();
    const char byte = 'x';
    socket.sendBytes(&byte, 1);
    succeeded = true;
  } catch (const Poco::Exception&) {
    succeeded = false;
  }
  accepted.get();
  return succeeded;
}

TEST(ServerTlsTest, ServesTls12AndTls13) {
  EXPECT_TRUE(handshakeSucceeds(serverContext(), clientOffering(TLS1_2_VERSION)));
  EXPECT_TRUE(handshakeSucceeds(serverContext(), clientOffering(TLS1_3_VERSION)));
}

TEST(ServerTlsTest, TheClientCanSpeakTls10And11ToAServerThatAllowsThem) {
  // The control for the next test: without our floor the same clients get through.
  Poco::Net::Context::Params params;
  params.certificateFile = telemetry::test::certificateFile("server.pem");
  params.privateKeyFile = telemetry::test::certificateFile("server.key");
  params.verificationMode = Poco::Net::Context::VERIFY_NONE;
  params.cipherList = "ALL:@SECLEVEL=0";
  params.loadDefaultCAs = false;
  Poco::Net::Context::Ptr lenient =
      new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
  SSL_CTX_set_security_level(lenient->sslContext(), 0);
  SSL_CTX_set_min_proto_version(lenient->sslContext(), TLS1_VERSION);
  EXPECT_TRUE(handshakeSucceeds(lenient, clientOffering(TLS1_1_VERSION)));
  EXPECT_TRUE(handshakeSucceeds(lenient, clientOffering(TLS1_VERSION)));
}

TEST(ServerTlsTest, RefusesTls10And11) {
  EXPECT_FALSE(handshakeSucceeds(serverContext(), clientOffering(TLS1_1_VERSION)));
  EXPECT_FALSE(handshakeSucceeds(serverContext(), clientOffering(TLS1_VERSION)));
}

TEST(ServerTlsTest, AMissingCertificateIsNamed) {
  try {
    makeServerTlsContext("/nonexistent/api.pem", telemetry::test::certificateFile("server.key"));
    FAIL() << "accepted a missing certificate";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/api.pem"), std::string::npos) << e.what();
  }
}

}  // namespace
