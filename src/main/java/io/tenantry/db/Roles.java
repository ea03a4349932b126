package io.tenantry.db;

import io.tenantry.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

import static io.tenantry.db.AdminJdbc.execute;
import static io.tenantry.db.AdminJdbc.exists;
import static io.tenantry.db.SqlIdentifiers.quoteIdent;
import static io.tenantry.db.SqlIdentifiers.quoteLiteral;

/**
 * The owner role (owns every object, cannot log in) and the runtime role (logs in, owns nothing, no BYPASSRLS)
 * on one PostgreSQL server: the platform's, or the server of a database-tier tenant.
 */
public final class Roles {
  private static final Logger LOG = LoggerFactory.getLogger(Roles.class);

  private Roles() {
  }

  public static void ensure(Connection c, Config config) throws SQLException {
    String owner = config.ownerRole();
    String app = config.appRole();
    if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", owner)) {
      execute(c, "CREATE ROLE " + quoteIdent(owner) + " NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS");
      LOG.info("created owner role {}", owner);
    }
    if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", app)) {
      execute(c, "CREATE ROLE " + quoteIdent(app)
        + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT NOREPLICATION");
      LOG.info("created runtime role {}", app);
    }
    // Keep the runtime role's attributes right even if someone loosened them by hand.
    execute(c, "ALTER ROLE " + quoteIdent(app) + " NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
      + (config.dbAppPassword().isEmpty() ? "" : " PASSWORD " + quoteLiteral(config.dbAppPassword())));
    // Every statement of the runtime role is a prepared key or range lookup, for which a generic plan is the custom
    // plan. Without this PostgreSQL re-plans every list statement on every execution (its custom plans look cheaper
    // than the generic one because of LIMIT $n), and planning with row-level security costs more than running it.
    // A role setting rather than a connection parameter, so that it also holds behind PgBouncer.
    execute(c, "ALTER ROLE " + quoteIdent(app) + " SET plan_cache_mode = force_generic_plan");
    // The pools also send these as startup parameters (which win, and carry a database-tier tenant's own timeout);
    // as role settings they hold for any other session of the runtime role, behind PgBouncer too.
    execute(c, "ALTER ROLE " + quoteIdent(app) + " SET statement_timeout = " + config.dbStatementTimeoutMs());
    execute(c, "ALTER ROLE " + quoteIdent(app) + " SET idle_in_transaction_session_timeout = "
      + config.dbIdleInTransactionTimeoutMs());
    // The admin must be able to SET ROLE to the owner (needed for non-superuser admins).
    execute(c, "GRANT " + quoteIdent(owner) + " TO CURRENT_USER");
  }

  /** Creates {@code database} owned by the owner role unless it exists; only the runtime role may connect. */
  public static boolean ensureDatabase(Connection c, Config config, String database) throws SQLException {
    boolean created = false;
    if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
      execute(c, "CREATE DATABASE " + quoteIdent(database) + " OWNER " + quoteIdent(config.ownerRole())
        + " ENCODING 'UTF8' TEMPLATE template0");
      LOG.info("created database {}", database);
      created = true;
    }
    execute(c, "REVOKE ALL ON DATABASE " + quoteIdent(database) + " FROM PUBLIC");
    // CONNECT only: no TEMPORARY, so the runtime role cannot even create temporary functions or tables.
    execute(c, "REVOKE TEMPORARY ON DATABASE " + quoteIdent(database) + " FROM " + quoteIdent(config.appRole()));
    execute(c, "GRANT CONNECT ON DATABASE " + quoteIdent(database) + " TO " + quoteIdent(config.appRole()));
    return created;
  }
}
