package org.telemetry;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The C API (telemetry/c_api.h) through JNA direct mapping, the cheapest JNA call. Strings go
 * in as NUL-terminated UTF-8 byte arrays (NativeText), so no platform charset is involved.
 */
final class CApi {
  static final int OK = 0;
  /** The API version with telemetry_set_license_key, the newest function used here. */
  static final int REQUIRED_API_VERSION = 2;

  static {
    Native.register(CApi.class, NativeLibrary.getInstance(LibraryLocation.find()));
  }

  private CApi() {}

  static native int telemetry_api_version();

  static native Pointer telemetry_last_error();

  static native int telemetry_host_create(byte[] configPath, PointerByReference out);

  static native int telemetry_host_start(Pointer host);

  static native int telemetry_host_stop(Pointer host);

  static native void telemetry_host_destroy(Pointer host);

  static native int telemetry_toggle(Pointer host, int enabled);

  static native int telemetry_is_enabled(Pointer host, IntByReference out);

  static native int telemetry_count_command(Pointer host, byte[] name, long n);

  static native int telemetry_count_metric(Pointer host, byte[] name, long n);

  static native int telemetry_worker_seen(Pointer host, byte[] id);

  static native int telemetry_report_json(Pointer host, PointerByReference out);

  static native void telemetry_free_string(Pointer text);

  static native int telemetry_set_license_key(Pointer host, byte[] key);

  /** The calling thread's last error message. */
  static String lastError() {
    Pointer message = telemetry_last_error();
    return message == null ? "" : message.getString(0, "UTF-8");
  }
}
