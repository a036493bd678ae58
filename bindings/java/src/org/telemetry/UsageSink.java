package org.telemetry;

/** Where PendingUsage hands its counts: the native host, or a recorder in the tests. */
interface UsageSink {
  /** Adds n to a command's count; name and metric are NUL-terminated UTF-8. */
  void command(byte[] name, long n);

  void metric(byte[] reportName, long n);

  void worker(byte[] id);
}
