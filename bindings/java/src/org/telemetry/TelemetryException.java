package org.telemetry;

/**
 * A failure of the telemetry host, with the C API's message: a configuration error names the
 * file and line, e.g. {@code telemetry.yaml:3: unknown key 'reportng-period'}.
 *
 * <p>Thrown by {@link Telemetry#open(java.nio.file.Path)} and by the calls a product makes on
 * purpose ({@code toggle}, {@code report}, {@code setLicenseKey} ...); never by counting, nor
 * by anything the host does in the background.
 */
public class TelemetryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Which kind of failure, as the C API's {@code telemetry_status} says. */
  public enum Status {
    /** Any other failure: the state store, the network ... ({@code TELEMETRY_ERROR}). */
    ERROR,
    /** telemetry.yaml is missing, unreadable or invalid ({@code TELEMETRY_CONFIG_ERROR}). */
    CONFIG_ERROR,
    /** An argument the host refused ({@code TELEMETRY_INVALID_ARGUMENT}). */
    INVALID_ARGUMENT,
    /** An allocation failed ({@code TELEMETRY_OUT_OF_MEMORY}). */
    OUT_OF_MEMORY;

    static Status of(int code) {
      switch (code) {
        case 2:
          return CONFIG_ERROR;
        case 3:
          return INVALID_ARGUMENT;
        case 4:
          return OUT_OF_MEMORY;
        default:
          return ERROR;
      }
    }
  }

  /** What kind of failure this is. */
  private final Status status;

  /**
   * A failure with the host's message.
   *
   * @param status what kind of failure
   * @param message the C API's message (telemetry_last_error)
   */
  public TelemetryException(Status status, String message) {
    super(message);
    this.status = status;
  }

  /**
   * What kind of failure this is.
   *
   * @return the status the C API returned
   */
  public Status status() {
    return status;
  }
}
