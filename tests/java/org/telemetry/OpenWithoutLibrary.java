package org.telemetry;

/**
 * Run in its own JVM by TelemetryTest: opens a host with telemetry.library set to a missing
 * file and prints what open() threw.
 */
final class OpenWithoutLibrary {
  private OpenWithoutLibrary() {}

  public static void main(String[] args) {
    for (int attempt = 0; attempt < 2; attempt++) { // the second meets CApi failed already
      try {
        Telemetry.open(null).close();
        System.out.println("opened");
      } catch (TelemetryException e) {
        System.out.println("TelemetryException: " + e.getMessage());
      }
    }
  }
}
