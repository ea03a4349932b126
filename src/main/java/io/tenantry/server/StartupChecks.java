package io.tenantry.server;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import io.tenantry.db.AdminJdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a start would fail on later, checked before it creates anything: a refused start leaves no database, roles
 * or schema behind for the operator to clean up. Blocking JDBC: call on a worker thread.
 */
final class StartupChecks {
  static final String TRY_DEV = "; or try Tenantry with --profile dev";

  private StartupChecks() {
  }

  /** The bootstrap super-admin of a prod start: needed when the database is new, checked when given at all. */
  static void adminAccount(Config config) {
    if (config.profile() != Config.Profile.PROD) {
      return;
    }
    boolean given = !config.adminEmail().isEmpty() || !config.adminPassword().isEmpty();
    if (!given && databaseExists(config)) {
      return; // an existing installation has its super-admin; BootstrapAdmin says so if it has not
    }
    if (!config.adminEmail().contains("@")) {
      throw new ConfigException("admin.email", "a valid email is required to create the first super-admin of a new "
        + "database: set TENANTRY_ADMIN_EMAIL and TENANTRY_ADMIN_PASSWORD (at least 12 characters)" + TRY_DEV);
    }
    if (config.adminPassword().length() < config.users().passwordMinLength()) {
      throw new ConfigException("admin.password", "at least " + config.users().passwordMinLength() + " characters are required to create the first "
        + "super-admin: set TENANTRY_ADMIN_PASSWORD" + TRY_DEV);
    }
  }

  private static boolean databaseExists(Config config) {
    try (Connection c = AdminJdbc.connect(config.dbAdminUrl())) {
      return AdminJdbc.exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", config.dbName());
    } catch (SQLException e) {
      throw new ConfigException("db.admin-url", "cannot reach PostgreSQL through " + config.dbAdminUrl() + ": "
        + e.getMessage());
    }
  }
}
