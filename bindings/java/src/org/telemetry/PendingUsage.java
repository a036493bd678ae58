package org.telemetry;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counts a product made in Java and the host has not been handed yet: one counter per
 * command name, one per metric, and the task-worker ids seen. Counting never blocks nor
 * calls native code; drainTo() hands everything new to a sink.
 */
final class PendingUsage {
  /** As the host's UsageLimits: further command names are counted as "other". */
  static final int MAX_COMMAND_NAMES = 1000;
  /** Distinct worker ids held between two drains; further ones go to the sink at once. */
  static final int MAX_PENDING_WORKERS = 10_000;

  private final Map<String, CommandCounter> commands = new ConcurrentHashMap<>();
  /** The host's own name for commands beyond its limit. */
  private final CommandCounter other = new CommandCounter("other");
  private final RunningCount[] metrics = new RunningCount[Metric.values().length];
  private final byte[][] metricNames = new byte[Metric.values().length][];
  private final Set<String> workers = ConcurrentHashMap.newKeySet();

  PendingUsage() {
    for (Metric metric : Metric.values()) {
      metrics[metric.ordinal()] = new RunningCount();
      metricNames[metric.ordinal()] = NativeText.of(metric.reportName());
    }
  }

  /** The counter of `name`: the same one for the same name, "other" beyond the limit. */
  CommandCounter counter(String name) {
    CommandCounter counter = commands.get(name);
    if (counter != null)
      return counter;
    if (commands.size() >= MAX_COMMAND_NAMES)
      return other;
    return commands.computeIfAbsent(name, CommandCounter::new);
  }

  void metric(Metric metric, long n) {
    if (n > 0)
      metrics[metric.ordinal()].add(n);
  }

  /** Keeps `id` for the next drain; false when too many are held (the caller sends it). */
  boolean worker(String id) {
    if (workers.size() >= MAX_PENDING_WORKERS)
      return false;
    workers.add(id);
    return true;
  }

  /** Hands everything counted since the last drain to `sink`. One drain at a time. */
  void drainTo(UsageSink sink) {
    for (CommandCounter counter : commands.values()) drainCommand(counter, sink);
    drainCommand(other, sink);
    for (int i = 0; i < metrics.length; i++) {
      long fresh = metrics[i].takeNew();
      if (fresh > 0)
        sink.metric(metricNames[i], fresh);
    }
    for (Iterator<String> it = workers.iterator(); it.hasNext();) {
      String id = it.next();
      it.remove(); // an id added again meanwhile stays for the next drain
      sink.worker(NativeText.of(id));
    }
  }

  private static void drainCommand(CommandCounter counter, UsageSink sink) {
    long fresh = counter.count().takeNew();
    if (fresh > 0)
      sink.command(counter.nativeName(), fresh);
  }
}
