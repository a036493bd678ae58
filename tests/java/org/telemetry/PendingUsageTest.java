package org.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The counts held in Java, drained into a recording sink instead of the native host. */
class PendingUsageTest {
  /** What the host would have been handed, summed by name. */
  static final class RecordingSink implements UsageSink {
    final Map<String, Long> commands = new HashMap<>();
    final Map<String, Long> metrics = new HashMap<>();
    final List<String> workers = new ArrayList<>();

    private static String text(byte[] terminated) {
      assertEquals(0, terminated[terminated.length - 1], "NUL-terminated");
      return new String(terminated, 0, terminated.length - 1, StandardCharsets.UTF_8);
    }

    @Override
    public void command(byte[] name, long n) {
      assertTrue(n > 0, "only what is new");
      commands.merge(text(name), n, Long::sum);
    }

    @Override
    public void metric(byte[] reportName, long n) {
      assertTrue(n > 0, "only what is new");
      metrics.merge(text(reportName), n, Long::sum);
    }

    @Override
    public void worker(byte[] id) {
      workers.add(text(id));
    }
  }

  @Test
  void countsMadeWhileDrainingAreHandedOverExactlyOnce() throws Exception {
    PendingUsage usage = new PendingUsage();
    RecordingSink sink = new RecordingSink();
    AtomicBoolean counting = new AtomicBoolean(true);
    Thread drainer = new Thread(() -> {
      while (counting.get()) usage.drainTo(sink);
    });
    drainer.start();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        CommandCounter counter = usage.counter("Cmd");
        for (int i = 0; i < 100_000; i++) {
          counter.increment();
          usage.metric(Metric.EXECUTED_DECISION_ELEMENTS, 2);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) thread.join();
    counting.set(false);
    drainer.join();
    usage.drainTo(sink);
    assertEquals(800_000L, sink.commands.get("Cmd"));
    assertEquals(1_600_000L, sink.metrics.get("executed-decision-elements"));
    usage.drainTo(sink);
    assertEquals(800_000L, sink.commands.get("Cmd"), "nothing twice");
  }

  @Test
  void namesBeyondTheLimitAreCountedAsOther() {
    PendingUsage usage = new PendingUsage();
    for (int i = 0; i < PendingUsage.MAX_COMMAND_NAMES; i++) usage.counter("Cmd" + i).increment();
    CommandCounter beyond = usage.counter("OneTooMany");
    assertEquals("other", beyond.name());
    assertSame(beyond, usage.counter("AnotherOne"));
    beyond.add(3);
    RecordingSink sink = new RecordingSink();
    usage.drainTo(sink);
    assertEquals(3L, sink.commands.get("other"));
    assertEquals(1L, sink.commands.get("Cmd0"));
    assertFalse(sink.commands.containsKey("OneTooMany"));
  }

  @Test
  void aWorkerSeenTwiceBetweenDrainsIsHandedOverOnce() {
    PendingUsage usage = new PendingUsage();
    assertTrue(usage.worker("w1"));
    assertTrue(usage.worker("w1"));
    RecordingSink sink = new RecordingSink();
    usage.drainTo(sink);
    usage.drainTo(sink);
    assertEquals(List.of("w1"), sink.workers);
  }

  @Test
  void nothingCountedIsNothingHandedOver() {
    PendingUsage usage = new PendingUsage();
    usage.counter("Idle");
    usage.metric(Metric.ACTIVITY_INSTANCE_START, 0);
    usage.metric(Metric.ACTIVITY_INSTANCE_START, -5);
    RecordingSink sink = new RecordingSink();
    usage.drainTo(sink);
    assertTrue(sink.commands.isEmpty() && sink.metrics.isEmpty() && sink.workers.isEmpty());
  }
}
