package io.tenantry.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, which the test may stop, start, restart and crash without touching the
 * machine's server that every other test uses: {@code initdb} into a temporary directory (trust, superuser
 * postgres), {@code pg_ctl} on a free loopback port. initdb refuses to run as root, so as root it runs as the
 * {@code postgres} system user (runuser). {@link #close()} stops it and deletes its directory.
 * The binaries: TENANTRY_TEST_PG_BIN, else the newest /usr/lib/postgresql/N/bin.
 */
public final class PrivatePostgres implements AutoCloseable {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
  private final Path dir;
  private final int port;

  private PrivatePostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** A new server, initialised and started. */
  public static PrivatePostgres start() {
    try {
      Path dir = Files.createTempDirectory("tenantry-pg-");
      if (ROOT) {
        run(List.of("chown", "postgres", dir.toString()));
      }
      PrivatePostgres pg = new PrivatePostgres(dir, TestServer.freePort());
      pg.asOwner(bin("initdb"), "-D", pg.data(), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
      pg.startServer();
      return pg;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the private PostgreSQL's directory", e);
    }
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  /** The admin URL in the form db.admin-url takes. */
  public String adminUrl() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", "");
  }

  /** Starts the (stopped) server and waits until it accepts connections. */
  public void startServer() {
    asOwner(bin("pg_ctl"), "-D", data(), "-l", dir.resolve("log").toString(), "-w", "-t", "60",
      "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60",
      "start");
  }

  /** Stops the server (fast: sessions are terminated, as in a real restart) and waits until it is down. */
  public void stopServer() {
    asOwner(bin("pg_ctl"), "-D", data(), "-m", "fast", "-w", "-t", "60", "stop");
  }

  public void restart() {
    stopServer();
    startServer();
  }

  /** SIGKILLs one backend: its client's connection drops with no answer, and the server recovers from a crash. */
  public void killBackend(int pid) {
    run(List.of("kill", "-9", Integer.toString(pid)));
  }

  @Override
  public void close() {
    try {
      asOwner(bin("pg_ctl"), "-D", data(), "-m", "immediate", "-w", "-t", "60", "stop");
    } catch (RuntimeException e) {
      // already stopped
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  private String data() {
    return dir.resolve("data").toString();
  }

  private static String bin(String name) {
    String base = System.getenv("TENANTRY_TEST_PG_BIN");
    return (base == null || base.isBlank() ? debianBin() : base) + "/" + name;
  }

  /** The newest /usr/lib/postgresql/N/bin with an initdb (Debian's layout), else 15's. */
  private static String debianBin() {
    java.io.File[] versions = new java.io.File("/usr/lib/postgresql").listFiles();
    String best = "/usr/lib/postgresql/15/bin";
    int newest = -1;
    for (java.io.File v : versions == null ? new java.io.File[0] : versions) {
      if (v.getName().matches("\\d+") && new java.io.File(v, "bin/initdb").canExecute() && Integer.parseInt(v.getName()) > newest) {
        newest = Integer.parseInt(v.getName());
        best = v.getPath() + "/bin";
      }
    }
    return best;
  }

  private void asOwner(String... command) {
    List<String> line = new ArrayList<>();
    if (ROOT) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.addAll(List.of(command));
    run(line);
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
