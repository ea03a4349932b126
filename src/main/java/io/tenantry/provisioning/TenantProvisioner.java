package io.tenantry.provisioning;

import io.tenantry.config.Config;
import io.tenantry.config.PgUrl;
import io.tenantry.db.AdminJdbc;
import io.tenantry.db.DatabaseBootstrap;
import io.tenantry.db.Roles;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.TenantNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import static io.tenantry.db.AdminJdbc.execute;
import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Creates and removes the home of a tenant's data: nothing for the shared tier, a schema for the schema tier, a
 * database (with the platform's roles on its server) for the database tier. Blocking: worker threads only.
 */
public final class TenantProvisioner {
  private static final Logger LOG = LoggerFactory.getLogger(TenantProvisioner.class);

  private final Config config;
  private final TenantMigrations migrations;

  public TenantProvisioner(Config config) {
    this.config = config;
    this.migrations = new TenantMigrations(config);
  }

  /** The default home of a new database-tier tenant: a database named after the platform's, on its server. */
  public DbTarget defaultDatabase(UUID tenantId) {
    return new DbTarget(config.dbHost(), config.dbPort(), TenantNames.database(config.dbName(), tenantId));
  }

  /**
   * Creates a new tenant's schema or database and migrates it. A database must not exist yet: Tenantry only
   * ever drops databases it created.
   *
   * @return the tenant's schema version afterwards (0 for the shared tier)
   */
  public int provision(UUID tenantId, Isolation isolation, DbTarget database) {
    return locked(tenantId, () -> build(tenantId, isolation, database, true));
  }

  /** Brings an existing tenant to the latest version (the fleet migration's unit of work); resumes a failed provisioning. */
  public int migrate(UUID tenantId, Isolation isolation, DbTarget database) {
    return locked(tenantId, () -> build(tenantId, isolation, database, false));
  }

  /** Thrown when another node or process holds the tenant's migration lock right now. */
  public static final class BusyException extends RuntimeException {
    BusyException(UUID tenantId) {
      super("busy: another node is migrating tenant " + tenantId);
    }
  }

  /**
   * One tenant's provisioning or migration at a time, across every node and process: a PostgreSQL advisory
   * lock (PostgreSQL is the source of truth; it is released if the holder dies, with its connection).
   */
  private int locked(UUID tenantId, java.util.function.IntSupplier work) {
    try (Connection lock = AdminJdbc.connect(platformDatabase())) {
      if (!AdminJdbc.tryAdvisoryLock(lock, "tenantry-tenant-migration:" + tenantId)) {
        throw new BusyException(tenantId);
      }
      return work.getAsInt();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the platform database: " + e.getMessage(), e);
    }
  }

  /**
   * Takes the tenant's lock (the one {@link #provision} and {@link #migrate} take) on a connection of its own, for
   * a provisioning run that spans several steps; null when another node or process holds it. Closing the
   * connection releases it, as does the holder's death.
   */
  Connection tryLock(UUID tenantId) {
    try {
      Connection lock = AdminJdbc.connect(platformDatabase());
      if (AdminJdbc.tryAdvisoryLock(lock, "tenantry-tenant-migration:" + tenantId)) {
        return lock;
      }
      lock.close();
      return null;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the platform database: " + e.getMessage(), e);
    }
  }

  /**
   * Creates the tenant's schema or database if it is not there yet; the caller holds the tenant's lock. A database
   * that exists is refused when this is the first attempt (it is not Tenantry's), and on a later attempt unless the
   * owner role owns it (a previous attempt of ours made it).
   */
  void createHome(UUID tenantId, Isolation isolation, DbTarget database, boolean firstAttempt) {
    switch (isolation) {
      case SHARED -> { }
      case SCHEMA -> {
        try (Connection c = AdminJdbc.connect(platformDatabase())) {
          execute(c, "SET ROLE " + quoteIdent(config.ownerRole()));
          execute(c, "CREATE SCHEMA IF NOT EXISTS " + quoteIdent(TenantNames.schema(tenantId)));
        } catch (SQLException e) {
          throw new IllegalStateException("could not create the schema of tenant " + tenantId + ": " + e.getMessage(), e);
        }
      }
      case DATABASE -> {
        if (!firstAttempt && exists(database) && !ownedByUs(database)) {
          throw new DatabaseExistsException(database.database());
        }
        createDatabase(database, firstAttempt);
      }
    }
  }

  /** Migrates the tenant's schema or database; the caller holds the tenant's lock. */
  int migrateHome(UUID tenantId, Isolation isolation, DbTarget database) {
    return isolation == Isolation.SHARED ? 0 : migrations.migrate(tenantId, isolation,
      isolation == Isolation.SCHEMA ? platformDatabase() : adminUrl(database));
  }

  private boolean exists(DbTarget database) {
    try (Connection c = AdminJdbc.connect(serverAdmin(database))) {
      return AdminJdbc.exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database.database());
    } catch (SQLException e) {
      throw new IllegalStateException("could not reach the server of " + database.database() + ": " + e.getMessage(), e);
    }
  }

  private boolean ownedByUs(DbTarget database) {
    try (Connection c = AdminJdbc.connect(serverAdmin(database));
         var ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ? AND datdba = ?::regrole")) {
      ps.setString(1, database.database());
      ps.setString(2, quoteIdent(config.ownerRole()));
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not reach the server of " + database.database() + ": " + e.getMessage(), e);
    }
  }

  private int build(UUID tenantId, Isolation isolation, DbTarget database, boolean mustBeNew) {
    return switch (isolation) {
      case SHARED -> 0;
      case SCHEMA -> migrations.migrate(tenantId, isolation, platformDatabase());
      case DATABASE -> {
        createDatabase(database, mustBeNew);
        yield migrations.migrate(tenantId, isolation, adminUrl(database));
      }
    };
  }

  /** Drops the tenant's schema or database; idempotent. Shared-tier rows go with the tenant row. */
  public void deprovision(UUID tenantId, Isolation isolation, DbTarget database) {
    try {
      switch (isolation) {
        // the rows go with the tenant row; its declared indexes on shared.records are partial on them and would stay
        case SHARED -> new io.tenantry.records.indexes.IndexCopies(config)
          .drop(new io.tenantry.records.indexes.IndexCopies.Home(tenantId, Isolation.SHARED, null, 0));
        case SCHEMA -> {
          try (Connection c = AdminJdbc.connect(platformDatabase())) {
            execute(c, "SET ROLE " + quoteIdent(config.ownerRole()));
            execute(c, "DROP SCHEMA IF EXISTS " + quoteIdent(TenantNames.schema(tenantId)) + " CASCADE");
          }
        }
        case DATABASE -> {
          try (Connection c = AdminJdbc.connect(serverAdmin(database))) {
            execute(c, "DROP DATABASE IF EXISTS " + quoteIdent(database.database()) + " WITH (FORCE)");
          }
        }
      }
      LOG.info("removed the {} home of tenant {}", isolation.sql(), tenantId);
    } catch (SQLException e) {
      throw new IllegalStateException("could not remove the data of tenant " + tenantId + ": " + e.getMessage(), e);
    }
  }

  private void createDatabase(DbTarget database, boolean mustBeNew) {
    try (Connection c = AdminJdbc.connect(serverAdmin(database))) {
      // Role and database DDL touch shared catalogs: concurrent ALTER ROLE/GRANT fail with "tuple concurrently
      // updated", so one installation does them one at a time (the same lock as the bootstrap's).
      AdminJdbc.advisoryLock(c, DatabaseBootstrap.lockName(config));
      Roles.ensure(c, config);
      if (mustBeNew && AdminJdbc.exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database.database())) {
        throw new DatabaseExistsException(database.database());
      }
      Roles.ensureDatabase(c, config, database.database());
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + database.database() + ": " + e.getMessage(), e);
    }
  }

  /** The requested database already exists: it is not Tenantry's to take over (or ever drop). */
  public static final class DatabaseExistsException extends RuntimeException {
    DatabaseExistsException(String database) {
      super("database " + database + " already exists");
    }
  }

  private PgUrl platformDatabase() {
    return config.dbAdminUrl().withDatabase(config.dbName());
  }

  /** The admin credentials on the tenant database's server, connected to its maintenance database. */
  private PgUrl serverAdmin(DbTarget database) {
    PgUrl admin = config.dbAdminUrl();
    return new PgUrl(database.host(), database.port(), admin.database(), admin.user(), admin.password());
  }

  private PgUrl adminUrl(DbTarget database) {
    return serverAdmin(database).withDatabase(database.database());
  }
}
