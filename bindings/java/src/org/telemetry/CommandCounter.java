package org.telemetry;

import java.util.concurrent.atomic.LongAdder;

/**
 * The count of one command, kept in Java: {@link #increment()} is a {@link LongAdder} update
 * and never calls into native code; the host's flusher hands the sum over once a second and
 * at {@link Telemetry#close()}. Get one from {@link Telemetry#counter(String)} once and keep
 * it; any number of threads may count on it at once.
 */
public final class CommandCounter {
  private final String name;
  private final byte[] nativeName;
  private final RunningCount count = new RunningCount();

  CommandCounter(String name) {
    this.name = name;
    this.nativeName = NativeText.of(name);
  }

  /** Counts one execution of the command. Never throws. */
  public void increment() {
    count.increment();
  }

  /**
   * Counts {@code n} executions; zero or less counts nothing. Never throws.
   *
   * @param n how many
   */
  public void add(long n) {
    if (n > 0)
      count.add(n);
  }

  /**
   * The command's name as it appears in the report.
   *
   * @return the name given to {@link Telemetry#counter(String)}
   */
  public String name() {
    return name;
  }

  byte[] nativeName() {
    return nativeName;
  }

  RunningCount count() {
    return count;
  }
}
