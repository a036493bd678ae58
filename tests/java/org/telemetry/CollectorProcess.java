package org.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real telemetry-collector on a free loopback port over HTTPS, with the test CA's server
 * certificate from tests/support/certs.sh, and what it stored read from its SQLite store.
 */
final class CollectorProcess {
  private static final Pattern LISTENING = Pattern.compile("listening on [^ ]*:([0-9]+)");

  private final Path dir;
  private final Path log;
  private final Process process;
  private final int port;

  CollectorProcess(Path executable, Path certs, Path dir) throws IOException, InterruptedException {
    this.dir = dir;
    this.log = dir.resolve("collector.log");
    Path config = dir.resolve("collector.yaml");
    Files.writeString(config,
        "listen: 127.0.0.1:0\n"
            + "store: " + dir.resolve("collector.db") + "\n"
            + "secret-file: " + dir.resolve("collector.secret") + "\n"
            + "tls: { cert: " + certs.resolve("server.pem")
            + ", key: " + certs.resolve("server.key") + " }\n"
            + "rate-limit: { per-minute: 6000, burst: 1000 }\n");
    process = new ProcessBuilder(executable.toString(), "--config", config.toString())
                  .redirectErrorStream(true)
                  .redirectOutput(log.toFile())
                  .start();
    port = waitUntilListening();
  }

  /** The endpoint a host sends its reports to. */
  String endpoint() {
    return "https://127.0.0.1:" + port + "/pings";
  }

  /** The payloads of the reports of `kind` ("full" or "initial") stored for `installation`. */
  List<JsonObject> reports(String installation, String kind) throws SQLException {
    List<JsonObject> reports = new ArrayList<>();
    try (Connection store =
             DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collector.db"));
         PreparedStatement query = store.prepareStatement(
             "SELECT payload FROM reports WHERE installation = ? AND kind = ? ORDER BY id")) {
      query.setString(1, installation);
      query.setString(2, kind);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next())
          reports.add(JsonParser.parseString(rows.getString(1)).getAsJsonObject());
      }
    }
    return reports;
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private int waitUntilListening() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a hang guard only
    while (System.nanoTime() < deadline) {
      Matcher listening = LISTENING.matcher(log());
      if (listening.find())
        return Integer.parseInt(listening.group(1));
      if (!process.isAlive())
        fail("the collector exited: " + log());
      Thread.sleep(20);
    }
    fail("the collector did not start listening: " + log());
    return 0;
  }

  /** SIGTERM: the collector commits every accepted report and exits 0. */
  void stop() throws InterruptedException {
    process.destroy();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "collector did not stop: " + log());
  }
}
