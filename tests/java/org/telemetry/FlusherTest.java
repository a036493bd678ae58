package org.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The flusher thread outlives a failing flush: nothing reaches the product from it. */
class FlusherTest {
  @Test
  void aFailingFlushIsLoggedAndTheNextOneRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch secondRun = new CountDownLatch(1);
    Flusher flusher = new Flusher(() -> {
      if (runs.incrementAndGet() == 1)
        throw new IllegalStateException("on purpose");
      secondRun.countDown();
    }, Duration.ofMillis(5));
    flusher.start();
    assertTrue(secondRun.await(60, TimeUnit.SECONDS), "no flush after the failing one");
    flusher.stop();
  }
}
