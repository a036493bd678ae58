// A plain-HTTP client session (a collector on this machine) whose connection is opened
// through the attempt's deadline, so the deadline can cut every step of the attempt.
#pragma once

#include <string>

#include <Poco/Net/HTTPClientSession.h>

#include "delivery/attempt_deadline.hpp"

namespace telemetry {

class LoopbackHttpSession : public Poco::Net::HTTPClientSession {
 public:
  /// `deadline` must outlive the session.
  LoopbackHttpSession(const std::string& host, Poco::UInt16 port, AttemptDeadline& deadline)
      : HTTPClientSession(host, port), deadline_(deadline) {}

 protected:
  void connect(const Poco::Net::SocketAddress& address) override {
    Poco::Net::StreamSocket tcp = deadline_.connect(address, getTimeout());
    attachSocket(tcp);
  }

 private:
  AttemptDeadline& deadline_;
};

}  // namespace telemetry
