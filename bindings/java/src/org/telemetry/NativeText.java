package org.telemetry;

import java.nio.charset.StandardCharsets;

/** Strings as the C API takes them: UTF-8, NUL-terminated. */
final class NativeText {
  private NativeText() {}

  static byte[] of(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] terminated = new byte[utf8.length + 1];
    System.arraycopy(utf8, 0, terminated, 0, utf8.length);
    return terminated;
  }
}
