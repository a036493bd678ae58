package org.telemetry;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One telemetry_host handle. Every call holds the read lock, destroy() the write lock: the C
 * API forbids telemetry_host_destroy overlapping any other call on the handle.
 */
final class NativeHost implements UsageSink {
  private static final System.Logger LOG = System.getLogger("org.telemetry");

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private Pointer handle; // null once destroyed; guarded by lock

  private NativeHost(Pointer handle) {
    this.handle = handle;
  }

  /** Creates and starts a host for `config` (null: the C API's own lookup). */
  static NativeHost open(String config) {
    int version;
    try {
      version = CApi.telemetry_api_version();
    } catch (LinkageError e) { // the library is missing, or CApi failed to load it before
      throw new TelemetryException(TelemetryException.Status.ERROR,
          "cannot load " + LibraryLocation.find() + " (set -D" + LibraryLocation.PROPERTY
              + "=PATH/libtelemetry-c.so.1): "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (version < CApi.REQUIRED_API_VERSION) {
      throw new TelemetryException(TelemetryException.Status.ERROR,
          "libtelemetry-c has API version " + version + ", this binding needs "
              + CApi.REQUIRED_API_VERSION + " or newer");
    }
    PointerByReference out = new PointerByReference();
    check(CApi.telemetry_host_create(config == null ? null : NativeText.of(config), out));
    NativeHost host = new NativeHost(out.getValue());
    int status = CApi.telemetry_host_start(host.handle);
    if (status != CApi.OK) {
      TelemetryException failure = failure(status);
      host.destroy();
      throw failure;
    }
    return host;
  }

  void toggle(boolean enabled) {
    run(handle -> check(CApi.telemetry_toggle(handle, enabled ? 1 : 0)));
  }

  boolean isEnabled() {
    return call(handle -> {
      IntByReference out = new IntByReference();
      check(CApi.telemetry_is_enabled(handle, out));
      return out.getValue() != 0;
    });
  }

  String report() {
    return call(handle -> {
      PointerByReference out = new PointerByReference();
      check(CApi.telemetry_report_json(handle, out));
      Pointer text = out.getValue();
      try {
        return text.getString(0, StandardCharsets.UTF_8.name());
      } finally {
        CApi.telemetry_free_string(text);
      }
    });
  }

  void setLicenseKey(String key) {
    run(handle -> check(CApi.telemetry_set_license_key(handle, NativeText.of(key))));
  }

  @Override
  public void command(byte[] name, long n) {
    ifOpen(handle -> CApi.telemetry_count_command(handle, name, n));
  }

  @Override
  public void metric(byte[] reportName, long n) {
    ifOpen(handle -> CApi.telemetry_count_metric(handle, reportName, n));
  }

  @Override
  public void worker(byte[] id) {
    ifOpen(handle -> {
      if (CApi.telemetry_worker_seen(handle, id) != CApi.OK) {
        LOG.log(Level.DEBUG, "task worker id not counted: {0}", CApi.lastError());
      }
    });
  }

  /** Stops the host (its final report, when enabled) and frees it; later calls do nothing. */
  void stopAndDestroy() {
    ifOpen(handle -> {
      if (CApi.telemetry_host_stop(handle) != CApi.OK) {
        LOG.log(Level.WARNING, "telemetry: stopping the host failed: {0}", CApi.lastError());
      }
    });
    destroy();
  }

  private void destroy() {
    lock.writeLock().lock();
    try {
      if (handle != null)
        CApi.telemetry_host_destroy(handle);
      handle = null;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs `body` on the handle under the read lock; throws once the host is closed. */
  private <T> T call(Function<Pointer, T> body) {
    lock.readLock().lock();
    try {
      if (handle == null)
        throw new IllegalStateException("this Telemetry host is closed");
      return body.apply(handle);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void run(Consumer<Pointer> body) {
    call(handle -> {
      body.accept(handle);
      return null;
    });
  }

  /** Runs `body` on the handle under the read lock; does nothing once the host is closed. */
  private void ifOpen(Consumer<Pointer> body) {
    lock.readLock().lock();
    try {
      if (handle != null)
        body.accept(handle);
    } finally {
      lock.readLock().unlock();
    }
  }

  private static void check(int status) {
    if (status != CApi.OK)
      throw failure(status);
  }

  /** The exception for `status`, with the calling thread's message from the C API. */
  private static TelemetryException failure(int status) {
    return new TelemetryException(TelemetryException.Status.of(status), CApi.lastError());
  }
}
