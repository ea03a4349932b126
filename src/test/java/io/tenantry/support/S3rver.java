package io.tenantry.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for one test class: s3rver (npm) on Node.js, on a free port of 127.0.0.1, its data in a
 * temporary directory, with the given buckets. Its access key and secret are both {@link #KEY}. s3rver is installed
 * by .ci/run into {@link #INSTALL_DIR}; a test run without it installs it there the same way (npm). Only a machine
 * without Node.js skips the S3 tests (a JUnit assumption saying so). {@link #close()} stops it and removes its data.
 */
public final class S3rver implements AutoCloseable {
  public static final String VERSION = "3.7.1";
  public static final String KEY = "S3RVER";
  /** Relative to the project directory (gitignored); .ci/run installs into the same place. */
  public static final Path INSTALL_DIR = Path.of(".tools", "s3rver");

  private static boolean patched;
  private final int port;
  private final Path dir;
  private final Process process;

  private S3rver(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  public static S3rver start(String... buckets) {
    Assumptions.assumeTrue(onPath("node"), "Node.js (node) is not installed: the S3 backend's tests need it to run"
      + " s3rver; .ci/run installs it, or apt-get install nodejs npm");
    Path script = installed();
    try {
      Path dir = Files.createTempDirectory("tenantry-s3rver-");
      return launch(script, dir, buckets);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start s3rver: " + e.getMessage(), e);
    }
  }

  private static S3rver launch(Path script, Path dir, String... buckets) throws IOException {
    int port = TestServer.freePort();
    List<String> command = new ArrayList<>(List.of("node", script.toString(), "--address", "127.0.0.1", "--port",
      Integer.toString(port), "--directory", dir.toString(), "--silent"));
    for (String bucket : buckets) {
      command.add("--configure-bucket");
      command.add(bucket);
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy)); // a test JVM that dies leaves no s3rver
    S3rver s3 = new S3rver(dir, process, port);
    Eventually.within(Duration.ofSeconds(30), "s3rver to listen on " + port, () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("s3rver exited with " + process.exitValue() + "; see " + dir + ".log");
      }
      return s3.listening();
    });
    return s3;
  }

  public int port() {
    return port;
  }

  /** A server's settings for an S3 store on this s3rver: the bucket, key and path style, under {@code prefix}. */
  public java.util.Map<String, String> storeSettings(String bucket, String prefix) {
    java.util.Map<String, String> config = new java.util.HashMap<>();
    config.put("storage.backend", "s3");
    config.put("storage.s3.endpoint", endpoint());
    config.put("storage.s3.bucket", bucket);
    config.put("storage.s3.access-key", KEY);
    config.put("storage.s3.secret-key", KEY);
    config.put("storage.s3.path-style", "true");
    config.put("storage.s3.prefix", prefix);
    return config;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** Where s3rver keeps its data (each bucket a directory). */
  public Path directory() {
    return dir;
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port()), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The s3rver script, installing s3rver with npm first when .ci/run has not, and patched as .ci/run patches it: its
   * answer to a PUT waits until the bytes are written ({@code .ci/s3rver-patch.js} says why; idempotent).
   */
  private static synchronized Path installed() {
    Path script = INSTALL_DIR.resolve("node_modules/s3rver/bin/s3rver.js").toAbsolutePath();
    try {
      if (!Files.isRegularFile(script)) {
        run(List.of("npm", "install", "--prefix", INSTALL_DIR.toString(), "--no-audit", "--no-fund", "s3rver@" + VERSION),
          "npm could not install s3rver@" + VERSION + " into " + INSTALL_DIR + " (.ci/run does it: npm install --prefix "
            + INSTALL_DIR + " s3rver@" + VERSION + ")");
        if (!Files.isRegularFile(script)) {
          throw new IllegalStateException("npm installed no " + script);
        }
      }
      if (!patched) {
        run(List.of("node", Path.of(".ci", "s3rver-patch.js").toString(), INSTALL_DIR.toString()),
          "node .ci/s3rver-patch.js " + INSTALL_DIR + " failed");
        patched = true;
      }
      return script;
    } catch (IOException e) {
      throw new IllegalStateException("npm and node are needed to install s3rver: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void run(List<String> command, String failure) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
      .start();
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(failure);
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: the OS cleans what is left
    }
    dir.resolveSibling(dir.getFileName() + ".log").toFile().delete();
  }
}
