package io.tenantry.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The machine's second PostgreSQL server (cluster "second", port 5433, trust on loopback), as .ci/run starts it:
 * found when it answers, else created and started the same way (Debian's pg_createcluster; needs root, as on the
 * CI machine). For database-tier tenants placed on another server than the platform's.
 */
public final class SecondPostgres {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("TENANTRY_TEST_PG2_PORT", "5433"));

  private SecondPostgres() {
  }

  /** Makes sure it runs; fails the test with what to do when it cannot. */
  public static void ensure() {
    if (answers()) {
      return;
    }
    try {
      String version = Files.list(Path.of("/etc/postgresql")).map(p -> p.getFileName().toString()).sorted()
        .findFirst().orElseThrow(() -> new IllegalStateException("no PostgreSQL under /etc/postgresql"));
      if (!Files.isDirectory(Path.of("/etc/postgresql", version, "second"))) {
        run(List.of("pg_createcluster", version, "second", "--port", Integer.toString(PORT), "--",
          "--auth-local=trust", "--auth-host=trust"));
      }
      run(List.of("pg_ctlcluster", "--skip-systemctl-redirect", version, "second", "start"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the second PostgreSQL cluster (run .ci/run's block): " + e.getMessage(), e);
    }
    Eventually.within(java.time.Duration.ofSeconds(30), "the second PostgreSQL cluster answers", SecondPostgres::answers);
  }

  /** Drops a database and roles on it (a test's cleanup); quietly does nothing when they are gone. */
  public static void drop(String database, String... roles) {
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
      for (String role : roles) {
        st.execute("DROP ROLE IF EXISTS \"" + role + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cleaning up " + database + " on the second server: " + e.getMessage(), e);
    }
  }

  public static Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", TestEnv.adminUser());
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, props);
  }

  private static boolean answers() {
    try (Connection c = connect("postgres")) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void run(List<String> command) throws IOException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
