// RequestDeadlines on real loopback sockets: a passed deadline ends a blocked read, a
// disarmed one does not, and stopping a server expires every armed watch at once.
#include "telemetry/http/request_deadlines.hpp"

#include <chrono>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using telemetry::http::RequestDeadlines;

/// A connected pair on loopback: `server` is the accepted end, the one a server watches.
struct Connection {
  explicit Connection(Poco::Net::ServerSocket& listener)
      : client(listener.address()), server(listener.acceptConnection()) {
    server.setReceiveTimeout(Poco::Timespan(60, 0));  // a hang guard only
  }
  Poco::Net::StreamSocket client;
  Poco::Net::StreamSocket server;
};

/// Blocks in a read on `socket` until it ends: true when it ended without data (cut off).
bool readEndsWithoutData(Poco::Net::StreamSocket& socket) {
  char byte = 0;
  try {
    return socket.receiveBytes(&byte, 1) == 0;
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Exception&) {
    return true;
  }
}

class RequestDeadlinesTest : public ::testing::Test {
 protected:
  Poco::Net::ServerSocket listener_{Poco::Net::SocketAddress("127.0.0.1", 0)};
};

TEST_F(RequestDeadlinesTest, APassedDeadlineEndsABlockedRead) {
  RequestDeadlines deadlines(200ms);
  Connection connection(listener_);
  auto watch = deadlines.watch(connection.server);
  EXPECT_TRUE(readEndsWithoutData(connection.server));
  EXPECT_TRUE(watch->cutOff());
  EXPECT_EQ(deadlines.cutOffCount(), 1u);
}

TEST_F(RequestDeadlinesTest, ADisarmedWatchIsLeftAlone) {
  RequestDeadlines deadlines(200ms);
  Connection quiet(listener_);
  auto disarmed = deadlines.watch(quiet.server);
  disarmed->disarm();
  Connection late(listener_);
  auto armed = deadlines.watch(late.server);
  // The armed one, watched later, is cut off after the disarmed one's deadline has passed.
  EXPECT_TRUE(readEndsWithoutData(late.server));
  EXPECT_FALSE(disarmed->cutOff());
  EXPECT_EQ(deadlines.cutOffCount(), 1u);
}

TEST_F(RequestDeadlinesTest, ExpireAllCutsOffEveryArmedWatchNow) {
  RequestDeadlines deadlines(10min);  // far beyond the test: only expireAll() can end it
  Connection connection(listener_);
  auto watch = deadlines.watch(connection.server);
  deadlines.expireAll();
  EXPECT_TRUE(readEndsWithoutData(connection.server));
  EXPECT_TRUE(watch->cutOff());
}

// A connection the server took just before stopping is watched or armed after expireAll().
TEST_F(RequestDeadlinesTest, AWatchStartedOrArmedAfterExpireAllIsCutOffAtOnce) {
  RequestDeadlines deadlines(10min);
  Connection answering(listener_);
  auto busy = deadlines.watch(answering.server);
  busy->disarm();  // its request is being answered while the server stops
  deadlines.expireAll();
  busy->arm();  // waits for its next request
  EXPECT_TRUE(readEndsWithoutData(answering.server));
  EXPECT_TRUE(busy->cutOff());

  Connection accepted(listener_);
  auto watch = deadlines.watch(accepted.server);
  EXPECT_TRUE(readEndsWithoutData(accepted.server));
  EXPECT_TRUE(watch->cutOff());
}

}  // namespace
