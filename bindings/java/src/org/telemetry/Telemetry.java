package org.telemetry;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The telemetry host embedded in a Java product, over the C API of {@code libtelemetry-c.so}.
 *
 * <pre>{@code
 * try (Telemetry telemetry = Telemetry.open(Path.of("/etc/telemetry/telemetry.yaml"))) {
 *   CommandCounter starts = telemetry.counter("StartProcessInstanceCmd");  // keep it
 *   starts.increment();                                                    // hot path
 *   telemetry.metric(Metric.ACTIVITY_INSTANCE_START, 3);
 *   telemetry.worker("worker-7");
 * }  // close(): the final report, when telemetry is enabled
 * }</pre>
 *
 * <p>Counting happens in Java ({@link java.util.concurrent.atomic.LongAdder}s): no native call
 * per increment. A daemon thread hands the sums to the host once a second, and {@link
 * #close()} hands over the rest before the final report, so every count made before {@code
 * close()} is sent exactly once. Counting methods never throw; neither does anything the host
 * does in the background. Thread-safe.
 */
public final class Telemetry implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("org.telemetry");
  private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

  private final NativeHost host;
  private final PendingUsage usage = new PendingUsage();
  private final Object flushLock = new Object();
  private final Flusher flusher;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Telemetry(NativeHost host) {
    this.host = host;
    this.flusher = new Flusher(this::flush, FLUSH_INTERVAL);
  }

  /**
   * Loads {@code config}, opens the host (state store, plugins) and starts its reporter,
   * unless {@code reporter-activate} is false or {@code DO_NOT_TRACK} is set.
   *
   * @param config the telemetry.yaml to use; null looks it up as the CLI does
   *     ($TELEMETRY_CONFIG, ./telemetry.yaml, /etc/telemetry/telemetry.yaml, defaults)
   * @return the running host; close it when the product stops
   * @throws TelemetryException when the configuration is invalid (the message names the file
   *     and line) or the state store can't be opened
   */
  public static Telemetry open(Path config) {
    Telemetry telemetry = new Telemetry(NativeHost.open(config == null ? null : config.toString()));
    telemetry.flusher.start();
    return telemetry;
  }

  /**
   * The opt-in switch, stored in the state store. Disabling drops the counts not yet sent.
   *
   * @param enabled true to enable telemetry
   * @throws TelemetryException when the state store can't be written
   * @throws IllegalStateException after {@link #close()}
   */
  public void toggle(boolean enabled) {
    flush();
    host.toggle(enabled);
  }

  /**
   * Whether telemetry is enabled (false also while nobody decided yet).
   *
   * @return the stored opt-in switch
   * @throws TelemetryException when the state store can't be read
   * @throws IllegalStateException after {@link #close()}
   */
  public boolean isEnabled() {
    return host.isEnabled();
  }

  /**
   * The full report as it would be sent now, including everything counted so far. Sends
   * nothing.
   *
   * @return the report as JSON text
   * @throws TelemetryException when it can't be assembled
   * @throws IllegalStateException after {@link #close()}
   */
  public String report() {
    flush();
    return host.report();
  }

  /**
   * Stores the product's license key, as {@code telemetry license set} does; its signature is
   * not kept. The report carries it from then on.
   *
   * @param key the license key text
   * @throws TelemetryException when it is empty or the state store can't be written
   * @throws IllegalStateException after {@link #close()}
   */
  public void setLicenseKey(String key) {
    host.setLicenseKey(key);
  }

  /**
   * Counts one execution of the command {@code name}. Looks the name up each time; keep a
   * {@link #counter(String)} where it is called often. Never throws; null counts nothing.
   *
   * @param name the command's name in the report
   */
  public void command(String name) {
    if (name != null)
      usage.counter(name).increment();
  }

  /**
   * The counter of the command {@code name}: the same one for the same name. Beyond 1000
   * names, further names share the count "other", as in the host.
   *
   * @param name the command's name in the report
   * @return the counter to increment on the hot path
   * @throws NullPointerException when name is null
   */
  public CommandCounter counter(String name) {
    return usage.counter(Objects.requireNonNull(name, "name"));
  }

  /**
   * Adds {@code n} to one of the five metrics. Never throws; zero or less counts nothing.
   *
   * @param metric which metric
   * @param n how much to add
   */
  public void metric(Metric metric, long n) {
    if (metric != null)
      usage.metric(metric, n);
  }

  /**
   * Records a sighting of the task worker {@code id}. Never throws; null, an empty id or one
   * longer than 255 bytes counts nothing.
   *
   * @param id the worker's id
   */
  public void worker(String id) {
    if (id == null || id.isEmpty())
      return;
    if (!usage.worker(id))
      host.worker(NativeText.of(id));
  }

  /**
   * Hands the counts to the host, stops it (sending the final report when telemetry is
   * enabled, within the configured request-timeout) and frees it. Counts made after this
   * returns are dropped. Safe to call twice; never throws.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true))
      return;
    flusher.stop();
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "telemetry: handing the last counts to the host failed", e);
    }
    host.stopAndDestroy();
  }

  private void flush() {
    synchronized (flushLock) {
      usage.drainTo(host);
    }
  }
}
