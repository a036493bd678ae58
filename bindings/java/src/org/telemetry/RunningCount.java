package org.telemetry;

import java.util.concurrent.atomic.LongAdder;

/**
 * A count that only grows, and what of it was already handed to the host. Never reset:
 * LongAdder#sumThenReset may miss an increment made during the reset.
 */
final class RunningCount extends LongAdder {
  private static final long serialVersionUID = 1L;

  /** What takeNew() already returned; only touched under the flush lock. */
  private long taken;

  /**
   * What was counted since the last call. Each cell only grows and is read after the previous
   * call read it, so every increment is returned exactly once, by this call or a later one.
   */
  long takeNew() {
    long total = sum();
    long fresh = total - taken;
    taken = total;
    return fresh;
  }
}
