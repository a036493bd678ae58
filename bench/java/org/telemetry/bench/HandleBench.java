package org.telemetry.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.telemetry.CommandCounter;
import org.telemetry.Telemetry;

/**
 * The Java binding's hot path in one JVM: CommandCounter#increment() against a plain
 * LongAdder#increment() (the floor) and against one C API call per increment through JNA
 * (what a product writing its own glue pays), from 1 and 4 threads. Each figure is the wall
 * clock over all threads per operation (1 / throughput), the median of the repetitions, after
 * a warm-up that lets the JIT compile every loop. Prints JSON for bench/java_report.py.
 *
 * <p>usage: HandleBench LIBTELEMETRY_C REPETITIONS
 */
public final class HandleBench {
  private static final int[] THREADS = {1, 4};
  private static final long FAST_OPS = 20_000_000; // per thread, LongAdder and handle
  private static final long JNA_OPS = 500_000; // per thread, a native call each

  /** The C API's counting call bound by the benchmark itself, as a product's own glue would. */
  static final class PerCall {
    static native int telemetry_host_create(byte[] configPath, PointerByReference out);

    static native int telemetry_count_command(Pointer host, byte[] name, long n);

    static native void telemetry_host_destroy(Pointer host);
  }

  private HandleBench() {}

  static void longAdderLoop(LongAdder adder, long ops) {
    for (long i = 0; i < ops; i++) adder.increment();
  }

  static void handleLoop(CommandCounter counter, long ops) {
    for (long i = 0; i < ops; i++) counter.increment();
  }

  static void jnaLoop(Pointer host, byte[] name, long ops) {
    for (long i = 0; i < ops; i++) PerCall.telemetry_count_command(host, name, 1);
  }

  interface Loop {
    void run(long ops);
  }

  /** Nanoseconds of wall clock per operation with `threads` threads running `loop`. */
  static double measure(Loop loop, int threads, long opsPerThread) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread thread = new Thread(() -> {
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        loop.run(opsPerThread);
      });
      thread.start();
      running.add(thread);
    }
    ready.await();
    long start = System.nanoTime();
    go.countDown();
    for (Thread thread : running) thread.join();
    return (double) (System.nanoTime() - start) / (threads * opsPerThread);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  static byte[] nativeText(String text) {
    return (text + "\0").getBytes(StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: HandleBench LIBTELEMETRY_C REPETITIONS");
      System.exit(2);
    }
    String library = Path.of(args[0]).toAbsolutePath().toString();
    System.setProperty("telemetry.library", library); // both bindings use the same library
    Native.register(PerCall.class, NativeLibrary.getInstance(library));
    int repetitions = Integer.parseInt(args[1]);

    Path dir = Files.createTempDirectory("telemetry-java-bench");
    Path config = dir.resolve("telemetry.yaml");
    Files.writeString(config,
        "telemetry: { reporter-activate: false, initialize: true }\n"
            + "plugins: { paths: [" + dir.resolve("no-plugins") + "] }\n"
            + "state: { path: " + dir.resolve("state.db") + " }\n");
    PointerByReference out = new PointerByReference();
    if (PerCall.telemetry_host_create(nativeText(config.toString()), out) != 0) {
      throw new IllegalStateException("telemetry_host_create failed");
    }
    Pointer perCallHost = out.getValue();
    byte[] name = nativeText("BenchCmd");

    Map<String, Double> nsPerOp = new LinkedHashMap<>();
    try (Telemetry telemetry = Telemetry.open(config)) {
      LongAdder adder = new LongAdder();
      CommandCounter counter = telemetry.counter("BenchHandleCmd");
      Map<String, Loop> loops = new LinkedHashMap<>();
      loops.put("longadder", ops -> longAdderLoop(adder, ops));
      loops.put("handle", ops -> handleLoop(counter, ops));
      loops.put("jna_per_call", ops -> jnaLoop(perCallHost, name, ops));
      for (int threads : THREADS) {
        Map<String, double[]> samples = new LinkedHashMap<>();
        for (String variant : loops.keySet()) samples.put(variant, new double[repetitions]);
        for (int round = -2; round < repetitions; round++) { // two rounds of warm-up
          for (Map.Entry<String, Loop> loop : loops.entrySet()) { // interleaved: same noise
            long ops = loop.getKey().equals("jna_per_call") ? JNA_OPS : FAST_OPS;
            double ns = measure(loop.getValue(), threads, ops);
            if (round >= 0)
              samples.get(loop.getKey())[round] = ns;
          }
        }
        for (Map.Entry<String, double[]> sample : samples.entrySet()) {
          nsPerOp.put(sample.getKey() + "_" + threads + "t", median(sample.getValue()));
        }
      }
    } finally {
      PerCall.telemetry_host_destroy(perCallHost);
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }

    StringBuilder json = new StringBuilder("{\n  \"java\": \"")
                             .append(Runtime.version())
                             .append("\",\n  \"repetitions\": ")
                             .append(repetitions)
                             .append(",\n  \"ns_per_op\": {");
    String separator = "\n";
    for (Map.Entry<String, Double> entry : nsPerOp.entrySet()) {
      json.append(separator)
          .append("    \"")
          .append(entry.getKey())
          .append("\": ")
          .append(String.format("%.4f", entry.getValue()));
      separator = ",\n";
    }
    System.out.println(json.append("\n  }\n}"));
  }
}
