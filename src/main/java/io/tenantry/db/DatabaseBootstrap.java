package io.tenantry.db;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import io.tenantry.config.PgUrl;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

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
    try (Connection c = AdminJdbc.connect(admin)) {
      // Two nodes starting together must not race on CREATE ROLE/DATABASE.
      AdminJdbc.advisoryLock(c, lockName(config));
      Roles.ensure(c, config);
      Roles.ensureDatabase(c, config, config.dbName());
    } catch (SQLException e) {
      throw new ConfigException("db.admin-url",
        "cannot prepare database " + config.dbName() + " through " + admin + ": " + e.getMessage());
    }
    migrate();
  }

  /** Serializes role and database DDL of one installation (held on the admin database's connection). */
  public static String lockName(Config config) {
    return "tenantry-bootstrap:" + config.dbName();
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
}
