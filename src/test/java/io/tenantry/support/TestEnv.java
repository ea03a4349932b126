package io.tenantry.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where the test services are: the machine's PostgreSQL and Redis by default, overridable with
 * TENANTRY_TEST_PG_HOST / _PG_PORT / _PG_ADMIN_USER and TENANTRY_TEST_REDIS_URL.
 */
public final class TestEnv {
  private TestEnv() {
  }

  public static String pgHost() {
    return env("TENANTRY_TEST_PG_HOST", "127.0.0.1");
  }

  public static int pgPort() {
    return Integer.parseInt(env("TENANTRY_TEST_PG_PORT", "5432"));
  }

  public static String adminUser() {
    return env("TENANTRY_TEST_PG_ADMIN_USER", "postgres");
  }

  public static String adminUrl() {
    return "postgresql://" + adminUser() + "@" + pgHost() + ":" + pgPort() + "/postgres";
  }

  public static String redisUrl() {
    return env("TENANTRY_TEST_REDIS_URL", "redis://127.0.0.1:6379");
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
