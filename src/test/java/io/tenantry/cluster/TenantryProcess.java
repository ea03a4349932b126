package io.tenantry.cluster;

import io.tenantry.support.Api;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code io.tenantry.Main serve} as a separate JVM on the test classpath, like the built jar runs it: so SIGTERM,
 * the shutdown hook and the exit code are real. Its log goes to a file.
 */
final class TenantryProcess implements AutoCloseable {
  /** What the jar's manifest grants Hazelcast (Add-Opens/Add-Exports); on a plain classpath they are flags. */
  static final List<String> HAZELCAST_JVM_ARGS = List.of(
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private final Process process;
  final Path log;

  private TenantryProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static TenantryProcess serve(Map<String, String> flags) throws IOException {
    return serve(flags, Map.of());
  }

  /** @param properties JVM system properties (-Dkey=value), such as a test hook's */
  static TenantryProcess serve(Map<String, String> flags, Map<String, String> properties) throws IOException {
    List<String> command = new ArrayList<>(List.of(
      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
      "-Xmx256m", "-XX:TieredStopAtLevel=1")); // quick to start on a small shared machine
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(HAZELCAST_JVM_ARGS);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.tenantry.Main", "serve"));
    flags.forEach((key, value) -> command.add("--" + key + "=" + value));
    Path dir = Files.createTempDirectory("tenantry-process");
    Path log = dir.resolve("node.log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
      .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("TENANTRY_"));
    return new TenantryProcess(builder.start(), log);
  }

  /** SIGTERM, as an orchestrator stopping the node sends it. */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL: the process dies at once, with no shutdown hook, as a crashed node does. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The exit code, waiting at most {@code seconds}. */
  int awaitExit(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the process did not exit within " + seconds + " s; log:\n" + logText());
    }
    return process.exitValue();
  }

  /** A client of the node started with {@code flags}. */
  static Api api(Vertx vertx, Map<String, String> flags) {
    return new Api(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(Integer.parseInt(flags.get("http.port")))));
  }

  /** Waits until the node answers, and signs its super-admin in; fails with the log if the node exits. */
  String ready(Api api) {
    String[] token = new String[1];
    Eventually.within(Duration.ofSeconds(90), "the node serves", () -> {
      if (!alive()) {
        throw new AssertionError("the node exited; log:\n" + logText());
      }
      try {
        token[0] = api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null);
        return true;
      } catch (Exception | AssertionError notYet) {
        // not listening yet (the client's connect failure), or a sign-in that outwaited the client while the node
        // was still starting on a loaded machine (Await's AssertionError): asked again until the deadline
        return false;
      }
    });
    return token[0];
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
