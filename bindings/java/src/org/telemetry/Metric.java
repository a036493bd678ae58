package org.telemetry;

/**
 * The five usage metrics of the report, each counted by {@link Telemetry#metric(Metric, long)}.
 * Their report names are those of the C API's {@code telemetry_count_metric}.
 */
public enum Metric {
  /** Process instances started at the root (not as sub-processes). */
  ROOT_PROCESS_INSTANCE_START("root-process-instance-start"),
  /** Activity instances started. */
  ACTIVITY_INSTANCE_START("activity-instance-start"),
  /** Decision instances evaluated. */
  EXECUTED_DECISION_INSTANCES("executed-decision-instances"),
  /** Decision elements evaluated. */
  EXECUTED_DECISION_ELEMENTS("executed-decision-elements"),
  /** Task workers counted directly; {@link Telemetry#worker(String)} counts distinct ids. */
  UNIQUE_TASK_WORKERS("unique-task-workers");

  private final String reportName;

  Metric(String reportName) {
    this.reportName = reportName;
  }

  /**
   * The metric's name in the report, e.g. {@code "activity-instance-start"}.
   *
   * @return the report name
   */
  public String reportName() {
    return reportName;
  }
}
