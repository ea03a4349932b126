package io.tenantry.db;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import io.tenantry.config.PgUrl;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;
import static io.tenantry.db.SqlIdentifiers.quoteLiteral;

/**
 * Creates Tenantry's database, its owner role and its runtime role, and migrates the platform schema.
 * Idempotent: a second run only finds everything in place. Blocking JDBC and Flyway: call it on a worker
 * thread, never on an event loop.
 *
 * <p>The owner role cannot log in; migrations run as the admin connection after {@code SET ROLE owner},
 * so every object is owned by the owner and the runtime role owns nothing.
 */
public final class DatabaseBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseBootstrap.class);

  private final Config config;

  public DatabaseBootstrap(Config config) {
    this.config = config;
  }

  /** Everything needed before the runtime role can serve. */
  public void run() {
    PgUrl admin = config.dbAdminUrl();
    try (Connection c = connect(admin)) {
      // Two nodes starting together must not race on CREATE ROLE/DATABASE.
      try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
        lock.setString(1, "tenantry-bootstrap:" + config.dbName());
        lock.execute();
      }
      createRoles(c);
      createDatabase(c);
    } catch (SQLException e) {
      throw new ConfigException("db.admin-url",
        "cannot prepare database " + config.dbName() + " through " + admin + ": " + e.getMessage());
    }
    migrate();
  }

  private void createRoles(Connection c) throws SQLException {
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
    // The admin must be able to SET ROLE to the owner (needed for non-superuser admins).
    execute(c, "GRANT " + quoteIdent(owner) + " TO CURRENT_USER");
  }

  private void createDatabase(Connection c) throws SQLException {
    String db = config.dbName();
    if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", db)) {
      execute(c, "CREATE DATABASE " + quoteIdent(db) + " OWNER " + quoteIdent(config.ownerRole())
        + " ENCODING 'UTF8' TEMPLATE template0");
      LOG.info("created database {}", db);
    }
    execute(c, "REVOKE ALL ON DATABASE " + quoteIdent(db) + " FROM PUBLIC");
    execute(c, "GRANT CONNECT, TEMPORARY ON DATABASE " + quoteIdent(db) + " TO " + quoteIdent(config.appRole()));
  }

  private void migrate() {
    PgUrl target = config.dbAdminUrl().withDatabase(config.dbName());
    Flyway flyway = Flyway.configure()
      .dataSource(target.jdbcUrl(), target.user(), target.password())
      .initSql("SET ROLE " + quoteIdent(config.ownerRole()))
      .schemas("platform")
      .defaultSchema("platform")
      .locations("classpath:db/platform")
      .placeholders(Map.of("owner_role", config.ownerRole(), "app_role", config.appRole()))
      .connectRetries(0)
      .load();
    int applied = flyway.migrate().migrationsExecuted;
    if (applied > 0) {
      LOG.info("applied {} platform migration(s) to {}", applied, config.dbName());
    }
  }

  private static Connection connect(PgUrl url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    if (!url.password().isEmpty()) {
      props.setProperty("password", url.password());
    }
    props.setProperty("connectTimeout", "10");
    props.setProperty("ApplicationName", "tenantry-bootstrap");
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }

  private static boolean exists(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
