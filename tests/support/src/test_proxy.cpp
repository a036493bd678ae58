#include "telemetry/test/test_proxy.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/String.h>
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

/// The value of header `name` in a request head, or "".
std::string header(const std::string& head, const std::string& name) {
  std::string::size_type line = head.find("\r\n");
  while (line != std::string::npos && line + 2 < head.size()) {
    const auto start = line + 2;
    line = head.find("\r\n", start);
    const std::string text = head.substr(start, line - start);
    const auto colon = text.find(':');
    if (colon != std::string::npos && Poco::icompare(text.substr(0, colon), name) == 0) {
      return Poco::trim(text.substr(colon + 1));
    }
  }
  return {};
}

void answer(Poco::Net::StreamSocket& client, const std::string& statusLine) {
  const std::string text = "HTTP/1.1 " + statusLine + "\r\n\r\n";
  client.sendBytes(text.data(), static_cast<int>(text.size()));
}

}  // namespace

TestProxy::TestProxy() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
  acceptor_ = std::thread([this] { acceptLoop(); });
}

TestProxy::~TestProxy() { stop(); }

void TestProxy::stop() {
  if (stopping_.exchange(true)) return;
  acceptor_.join();
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    for (auto& socket : open_) {
      try {
        socket.shutdown();
      } catch (const Poco::Exception&) {
      }
    }
    threads.swap(threads_);
  }
  for (auto& t : threads) t.join();
  socket_.close();
}

std::string TestProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(socket_.address().port());
}

std::vector<TestProxy::Tunnel> TestProxy::tunnels() const {
  std::lock_guard lock(mutex_);
  return tunnels_;
}

void TestProxy::acceptLoop() {
  while (!stopping_) {
    // Poll so stop() is seen promptly.
    if (!socket_.poll(Poco::Timespan(0, 50000), Poco::Net::Socket::SELECT_READ)) continue;
    Poco::Net::StreamSocket client = socket_.acceptConnection();
    std::lock_guard lock(mutex_);
    threads_.emplace_back([this, client] { serve(client); });
  }
}

bool TestProxy::track(const Poco::Net::StreamSocket& socket) {
  std::lock_guard lock(mutex_);
  if (stopping_) return false;
  open_.push_back(socket);
  return true;
}

void TestProxy::serve(Poco::Net::StreamSocket client) {
  try {
    if (!track(client)) return;
    client.setReceiveTimeout(Poco::Timespan(10, 0));
    std::string head;
    char c;
    while (head.find("\r\n\r\n") == std::string::npos && client.receiveBytes(&c, 1) == 1) {
      head += c;
    }
    if (!head.starts_with("CONNECT ")) {
      answer(client, "405 Method Not Allowed");
      return;
    }
    const std::string target = head.substr(8, head.find(' ', 8) - 8);
    {
      std::lock_guard lock(mutex_);
      tunnels_.push_back({target, header(head, "Proxy-Authorization"), header(head, "Host")});
    }
    Poco::Net::StreamSocket upstream;
    try {
      upstream.connect(Poco::Net::SocketAddress(target));
    } catch (const Poco::Exception&) {
      answer(client, "502 Bad Gateway");
      return;
    }
    if (!track(upstream)) return;
    client.setReceiveTimeout(Poco::Timespan());
    answer(client, "200 Connection established");
    std::thread back([upstream, client] { relay(upstream, client); });
    relay(client, upstream);
    back.join();
  } catch (const Poco::Exception&) {
    // The test sees the failure on the client side.
  }
}

}  // namespace telemetry::test
