package io.tenantry.export;

import io.tenantry.config.Config;
import io.tenantry.config.PgUrl;
import io.tenantry.db.AdminJdbc;
import io.tenantry.tenant.DbTarget;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Admin JDBC connections to where a tenant's data lives: the platform database (platform rows, and the shared and
 * schema tiers' data), and a database-tier tenant's own database. Blocking: worker threads only. Each carries the
 * tenant's context for the session, so forced row-level security lets an owner (non-superuser) admin role see the
 * tenant's rows, and only them; every statement also names the tenant id.
 */
public final class TierConnections {
  private final Config config;

  public TierConnections(Config config) {
    this.config = config;
  }

  public Connection platform(UUID tenantId) throws SQLException {
    return prepared(AdminJdbc.connect(config.dbAdminUrl().withDatabase(config.dbName())), tenantId);
  }

  public Connection tenantDatabase(DbTarget target, UUID tenantId) throws SQLException {
    PgUrl admin = config.dbAdminUrl();
    return prepared(AdminJdbc.connect(new PgUrl(target.host(), target.port(), target.database(), admin.user(),
      admin.password())), tenantId);
  }

  /** A read-only REPEATABLE READ transaction: every part read on it sees one snapshot. */
  public static void snapshot(Connection c) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setReadOnly(true);
  }

  private static Connection prepared(Connection c, UUID tenantId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('app.tenant_id', ?, false), "
      + "set_config('TimeZone', 'UTC', false)")) {
      ps.setString(1, tenantId.toString());
      ps.execute();
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }
}
