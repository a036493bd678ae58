#include "telemetry/test/test_proxy.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

namespace telemetry::test {
namespace {

/// Copies from one socket to the other until either side closes.
void relay(Poco::Net::StreamSocket from, Poco::Net::StreamSocket to) {
  char buffer[16384];
  try {
    for (;;) {
      const int n = from.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      to.sendBytes(buffer, n);
    }
  } catch (const Poco::Exception&) {
  }
  try {
    to.shutdownSend();
  } catch (const Poco::Exception&) {
  }
}

}  // namespace

TestProxy::TestProxy() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
  acceptor_ = std::thread([this] { acceptLoop(); });
}

TestProxy::~TestProxy() {
  stopping_ = true;
  acceptor_.join();
  for (auto& t : tunnels_) t.join();
}

std::string TestProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(socket_.address().port());
}

std::vector<std::string> TestProxy::targets() const {
  std::lock_guard lock(mutex_);
  return targets_;
}

void TestProxy::acceptLoop() {
  while (!stopping_) {
    // Poll so the destructor's stop flag is seen promptly.
    if (!socket_.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ)) continue;
    Poco::Net::StreamSocket client = socket_.acceptConnection();
    std::lock_guard lock(mutex_);
    tunnels_.emplace_back([this, client] { tunnel(client); });
  }
}

void TestProxy::tunnel(Poco::Net::StreamSocket client) {
  try {
    client.setReceiveTimeout(Poco::Timespan(10, 0));
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos && client.receiveBytes(&c, 1) == 1) {
      head += c;
    }
    if (!head.starts_with("CONNECT ")) {
      client.sendBytes("HTTP/1.1 405 Method Not Allowed\r\n\r\n", 35);
      return;
    }
    const std::string target = head.substr(8, head.find(' ', 8) - 8);
    {
      std::lock_guard lock(mutex_);
      targets_.push_back(target);
    }
    Poco::Net::StreamSocket upstream{Poco::Net::SocketAddress(target)};
    const std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
    client.sendBytes(ok.data(), static_cast<int>(ok.size()));
    std::thread back([upstream, client] { relay(upstream, client); });
    relay(client, upstream);
    back.join();
  } catch (const Poco::Exception&) {
    // The test sees the failure on the client side.
  }
}

}  // namespace telemetry::test
