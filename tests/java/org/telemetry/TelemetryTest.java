package org.telemetry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding as a Java product uses it, against the real collector over HTTPS. ctest passes
 * the collector, the test certificates and the plugin directory as system properties, and no
 * TELEMETRY_PROBE_HELPER: the host finds telemetry-probe by itself.
 */
class TelemetryTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 20_000;

  @TempDir static Path collectorDir;
  static CollectorProcess collector;

  @TempDir Path dir;

  @BeforeAll
  static void startCollector() throws Exception {
    collector = new CollectorProcess(
        Path.of(System.getProperty("telemetry.test.collector")), certs(), collectorDir);
  }

  @AfterAll
  static void stopCollector() throws Exception {
    collector.stop();
  }

  private static Path certs() {
    return Path.of(System.getProperty("telemetry.test.certs"));
  }

  /** A configuration sending to the collector, with the jdk and license probes. */
  private Path writeConfig() throws Exception {
    Path config = dir.resolve("telemetry.yaml");
    Files.writeString(config,
        "telemetry:\n"
            + "  initialize: true\n"
            + "  endpoint: " + collector.endpoint() + "\n"
            + "  ca-file: " + certs().resolve("ca.pem") + "\n"
            + "  reporting-period: 1h\n"
            + "  request-timeout: 30s\n"
            + "plugins:\n"
            + "  paths: [" + System.getProperty("telemetry.test.plugins") + "]\n"
            + "  enabled:\n"
            + "    - name: jdk\n"
            + "      settings: { java-home: " + System.getProperty("java.home") + " }\n"
            + "    - license\n"
            + "state:\n"
            + "  path: " + dir.resolve("state.db") + "\n"
            + "  audit-log: " + dir.resolve("telemetry-sent.jsonl") + "\n");
    return config;
  }

  private static JsonObject internals(JsonObject report) {
    return report.getAsJsonObject("product").getAsJsonObject("internals");
  }

  private static long commandCount(JsonObject report, String name) {
    JsonObject commands = internals(report).getAsJsonObject("commands");
    if (commands == null || !commands.has(name))
      return 0;
    return commands.getAsJsonObject(name).get("count").getAsLong();
  }

  private static long metricCount(JsonObject report, String name) {
    return internals(report)
        .getAsJsonObject("metrics")
        .getAsJsonObject(name)
        .get("count")
        .getAsLong();
  }

  private static String installationOf(Telemetry telemetry) {
    return JsonParser.parseString(telemetry.report())
        .getAsJsonObject()
        .get("installation")
        .getAsString();
  }

  /** The one full report the collector stored: close()'s final one (the period is an hour). */
  private static JsonObject finalReport(String installation) throws Exception {
    List<JsonObject> delivered = collector.reports(installation, "full");
    assertEquals(1, delivered.size(), collector.log());
    return delivered.get(0);
  }

  @Test
  void countsFromEightThreadsReachTheCollectorExactlyOnce() throws Exception {
    String installation;
    try (Telemetry telemetry = Telemetry.open(writeConfig())) {
      installation = installationOf(telemetry);
      CommandCounter starts = telemetry.counter("JavaStartProcessCmd");
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String own = "JavaThreadCmd-" + t;
        Thread thread = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < ROUNDS; i++) {
            starts.increment();
            telemetry.command(own);
            telemetry.metric(Metric.ACTIVITY_INSTANCE_START, 3);
            telemetry.worker("worker-" + (i % 5));
          }
        });
        thread.start();
        threads.add(thread);
      }
      go.countDown();
      while (threads.stream().anyMatch(Thread::isAlive)) {
        telemetry.report(); // hands counts over while the threads count, as the flusher does
      }
      for (Thread thread : threads) thread.join();
      starts.add(7); // just before close(), which hands it over
    }

    JsonObject report = finalReport(installation);
    assertEquals(THREADS * ROUNDS + 7, commandCount(report, "JavaStartProcessCmd"));
    for (int t = 0; t < THREADS; t++) {
      assertEquals(ROUNDS, commandCount(report, "JavaThreadCmd-" + t));
    }
    assertEquals(3L * THREADS * ROUNDS, metricCount(report, "activity-instance-start"));
    assertEquals(5, metricCount(report, "unique-task-workers"));
  }

  @Test
  void probesRunOutOfProcessWithoutAnEnvironmentVariable() throws Exception {
    assertNull(System.getenv("TELEMETRY_PROBE_HELPER"), "a product's environment has none");
    String installation;
    try (Telemetry telemetry = Telemetry.open(writeConfig())) {
      installation = installationOf(telemetry);
    }
    JsonObject jdk = internals(finalReport(installation)).getAsJsonObject("jdk");
    assertTrue(jdk != null, "no jdk section: the probe helper was not found");
    assertEquals(Runtime.version().feature(),
        Runtime.Version.parse(jdk.get("version").getAsString()).feature());
  }

  @Test
  void aBadConfigIsATelemetryExceptionNamingTheFileAndLine() throws Exception {
    Path config = dir.resolve("telemetry.yaml");
    Files.writeString(config, "telemetry:\n  initialize: true\n  reportng-period: 1h\n");
    TelemetryException e = assertThrows(TelemetryException.class, () -> Telemetry.open(config));
    assertEquals(TelemetryException.Status.CONFIG_ERROR, e.status());
    assertTrue(e.getMessage().contains(config + ":3"), e.getMessage());
    assertTrue(e.getMessage().contains("reportng-period"), e.getMessage());
  }

  @Test
  void theLicenseKeyAndTheSwitchReachTheReport() throws Exception {
    try (Telemetry telemetry = Telemetry.open(writeConfig())) {
      assertTrue(telemetry.isEnabled());
      telemetry.setLicenseKey("customer=Java Test;type=UNIFIED;expiryDate=2099-01-01");
      JsonObject report = JsonParser.parseString(telemetry.report()).getAsJsonObject();
      assertTrue(internals(report)
                     .getAsJsonObject("license-key")
                     .get("raw")
                     .getAsString()
                     .contains("Java Test"),
          report.toString());

      telemetry.toggle(false);
      assertFalse(telemetry.isEnabled());
      telemetry.command("WhileDisabledCmd");
      assertEquals(0,
          commandCount(
              JsonParser.parseString(telemetry.report()).getAsJsonObject(), "WhileDisabledCmd"));
      TelemetryException empty =
          assertThrows(TelemetryException.class, () -> telemetry.setLicenseKey(""));
      assertEquals(TelemetryException.Status.INVALID_ARGUMENT, empty.status());
    }
  }

  @Test
  void aMissingLibraryIsATelemetryExceptionNamingIt() throws Exception {
    Path missing = dir.resolve("lib/libtelemetry-c.so.1"); // named relative to the product's
    Process jvm =
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("telemetry.test.classpath"),
            "-D" + LibraryLocation.PROPERTY + "=lib/libtelemetry-c.so.1",
            OpenWithoutLibrary.class.getName())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(jvm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, jvm.waitFor(), output);
    String[] lines = output.strip().split("\n");
    assertEquals(2, lines.length, output);
    for (String line : lines) {
      assertTrue(line.startsWith("TelemetryException: cannot load " + missing), output);
    }
  }

  @Test
  void nothingThrowsIntoTheProductAfterClose() throws Exception {
    Telemetry telemetry = Telemetry.open(writeConfig());
    CommandCounter counter = telemetry.counter("AfterCloseCmd");
    telemetry.close();
    assertDoesNotThrow(() -> {
      telemetry.close();
      counter.increment();
      telemetry.command("AfterCloseCmd");
      telemetry.metric(Metric.ROOT_PROCESS_INSTANCE_START, 1);
      telemetry.worker("late-worker");
      telemetry.command(null);
      telemetry.worker(null);
    });
    assertSame(counter, telemetry.counter("AfterCloseCmd"));
    assertThrows(IllegalStateException.class, telemetry::report);
  }
}
