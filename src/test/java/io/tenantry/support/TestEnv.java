package io.tenantry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where the test services are: the machine's PostgreSQL and Redis by default, overridable with
 * TENANTRY_TEST_PG_HOST / _PG_PORT / _PG_ADMIN_USER and TENANTRY_TEST_REDIS_URL; with none configured and no local
 * services but a Docker engine, Testcontainers' (TENANTRY_TEST_SERVICES, see {@link TestServices}).
 */
public final class TestEnv {
  private TestEnv() {
  }

  public static String pgHost() {
    return TestServices.get().pgHost();
  }

  public static int pgPort() {
    return TestServices.get().pgPort();
  }

  public static String adminUser() {
    return env("TENANTRY_TEST_PG_ADMIN_USER", "postgres");
  }

  public static String adminUrl() {
    return "postgresql://" + adminUser() + "@" + pgHost() + ":" + pgPort() + "/postgres";
  }

  public static String redisUrl() {
    return TestServices.get().redisUrl();
  }

  /**
   * Where the tests' PgBouncer listens (transaction mode, in front of {@link #pgPort()}; .ci/pgbouncer.sh starts it):
   * TENANTRY_TEST_PGBOUNCER_PORT, 6432 by default.
   */
  public static int pgBouncerPort() {
    return Integer.parseInt(env("TENANTRY_TEST_PGBOUNCER_PORT", "6432"));
  }

  /** Whether that PgBouncer answers; the PgBouncer variants of the attack and records tests are skipped when not. */
  public static boolean pgBouncerRunning() {
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + pgHost() + ":" + pgBouncerPort()
      + "/postgres?preferQueryMode=simple", adminUser(), "")) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * The server configuration that sends its runtime connections through PgBouncer (the database is still
   * created and migrated directly, through db.admin-url). PgBouncer 1.18 (Debian bookworm) has no protocol-level
   * prepared statements (1.21+ does): db.server-side-pooler sends each statement as one Parse/Bind/Execute/Sync.
   */
  public static java.util.Map<String, String> throughPgBouncer() {
    return java.util.Map.of("db.port", Integer.toString(pgBouncerPort()), "db.server-side-pooler", "true",
      "db.connect-timeout-ms", "30000"); // a new connection costs PgBouncer a role lookup (auth_query) first
  }

  /** A JDBC connection to {@code database} as {@code user} (trust authentication). */
  public static Connection connect(String database, String user) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + pgHost() + ":" + pgPort() + "/" + database, user, "");
  }

  /** Drops the platform database, every database its roles own (database-tier tenants), and the roles. */
  public static void dropDatabase(String database, String... roles) {
    try (Connection c = connect("postgres", adminUser()); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
      java.util.List<String> owned = new java.util.ArrayList<>();
      for (String role : roles) {
        try (java.sql.ResultSet rs = st.executeQuery("SELECT datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
          + "WHERE r.rolname = '" + role + "'")) {
          while (rs.next()) {
            owned.add(rs.getString(1));
          }
        }
      }
      for (String db : owned) {
        st.execute("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)");
      }
      for (String role : roles) {
        st.execute("DROP ROLE IF EXISTS \"" + role + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cleaning up " + database + ": " + e.getMessage(), e);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
