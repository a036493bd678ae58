package example;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.telemetry.CommandCounter;
import org.telemetry.Metric;
import org.telemetry.Telemetry;
import org.telemetry.TelemetryException;

/**
 * A product embedding telemetry: opens the host with the configuration named on the command
 * line, counts from a few worker threads as a process engine would, and prints the report the
 * host would send. close() (end of the try block) sends the final report when telemetry is
 * enabled.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: java example.EmbeddingExample TELEMETRY_YAML");
      System.exit(2);
    }
    try (Telemetry telemetry = Telemetry.open(Path.of(args[0]))) {
      CommandCounter starts = telemetry.counter("StartProcessInstanceCmd"); // once, then keep it
      List<Thread> engineThreads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String worker = "worker-" + t;
        Thread thread = new Thread(() -> {
          for (int i = 0; i < 1000; i++) {
            starts.increment(); // no native call: a LongAdder
            telemetry.metric(Metric.ACTIVITY_INSTANCE_START, 2);
          }
          telemetry.worker(worker);
        });
        thread.start();
        engineThreads.add(thread);
      }
      for (Thread thread : engineThreads) thread.join();
      telemetry.command("DeployCmd"); // an occasional command, looked up by name

      System.err.println("telemetry enabled: " + telemetry.isEnabled());
      System.out.println(telemetry.report());
    } catch (TelemetryException e) {
      System.err.println("telemetry: " + e.getMessage()); // e.g. telemetry.yaml:3: unknown key
      System.exit(2);
    }
  }
}
