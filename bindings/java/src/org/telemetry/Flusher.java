package org.telemetry;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * A daemon thread that runs a flush every interval until stopped. A failing flush is logged
 * and the next one runs as planned: nothing ever reaches the product's threads from here.
 */
final class Flusher {
  private static final System.Logger LOG = System.getLogger("org.telemetry");

  private final Thread thread;
  private volatile boolean stopping;

  Flusher(Runnable flush, Duration interval) {
    thread = new Thread(() -> {
      while (!stopping) {
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return; // stop(): the last flush is the caller's
        }
        try {
          flush.run();
        } catch (RuntimeException | Error e) {
          LOG.log(Level.WARNING, "telemetry: handing counts to the host failed", e);
        }
      }
    }, "telemetry-flusher");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops the thread and waits until a flush it runs has finished. */
  void stop() {
    stopping = true;
    thread.interrupt();
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true; // the product's interrupt is kept for it, after the join
      }
    }
    if (interrupted)
      Thread.currentThread().interrupt();
  }
}
