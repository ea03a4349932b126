package io.tenantry.provisioning;

import io.tenantry.config.Config;
import io.tenantry.config.PgUrl;
import io.tenantry.db.AdminJdbc;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Migrates every schema- and database-tier tenant to the latest tenant migration: in parallel (bounded by
 * migrate.parallelism and the connection budget), skipping tenants already current with a single query, and
 * resumable — a tenant that fails is recorded (platform.tenants.migration_error) and skipped while the others
 * continue; the next run retries it. Each tenant's migration holds a PostgreSQL advisory lock (see
 * {@link TenantProvisioner}), so two migrators — two nodes, or a node provisioning while an operator migrates —
 * never work on the same tenant at once.
 * Blocking; used by the {@code migrate} command.
 */
public final class FleetMigrator {
  private static final Logger LOG = LoggerFactory.getLogger(FleetMigrator.class);
  /**
   * A tenant still being provisioned is its provisioning's to migrate (its "migrations" step, resumed at start or by a
   * retry): were the fleet migration to take the tenant's lock first, the provisioning resumed at the same start
   * would find it busy and leave the tenant unfinished.
   */
  private static final String PENDING = "SELECT id, slug, isolation, db_host, db_port, db_name FROM platform.tenants "
    + "WHERE isolation <> 'shared' AND schema_version < ? AND NOT (status = 'provisioning' AND EXISTS (SELECT 1 FROM "
    + "platform.provisioning_jobs j WHERE j.tenant_id = tenants.id)) ORDER BY id";
  private static final String DONE = "UPDATE platform.tenants SET schema_version = ?, migrated_at = now(), "
    + "migration_error = NULL, status = CASE WHEN status = 'provisioning' AND NOT EXISTS (SELECT 1 FROM "
    + "platform.provisioning_jobs j WHERE j.tenant_id = tenants.id) THEN 'active' ELSE status END, "
    + "updated_at = now() WHERE id = ?";
  private static final String FAILED = "UPDATE platform.tenants SET migration_error = ?, updated_at = now() WHERE id = ?";
  private static final String STATUS = "SELECT slug, isolation, status, schema_version, migrated_at, migration_error "
    + "FROM platform.tenants ORDER BY slug";

  /** @param busy another migrator held the tenant's lock: nothing was done or recorded here */
  public record Outcome(UUID id, String slug, int version, String error, boolean busy) {
  }

  public record Report(int total, int current, int migrated, int busy, List<Outcome> failed) {
  }

  private record Pending(UUID id, String slug, Isolation isolation, DbTarget database) {
  }

  private final Config config;
  private final TenantProvisioner provisioner;

  public FleetMigrator(Config config) {
    this.config = config;
    this.provisioner = new TenantProvisioner(config);
  }

  public Report migrateAll() {
    int latest = TenantMigrations.latest();
    try (Connection c = AdminJdbc.connect(platform())) {
      List<Pending> pending = pending(c, latest);
      int total = count(c);
      int parallelism = Math.max(1, Math.min(config.migrateParallelism(), config.dbConnectionBudget()));
      LOG.info("{} of {} tenant(s) need migrating to version {}; {} at a time", pending.size(), total, latest, parallelism);
      ExecutorService workers = Executors.newFixedThreadPool(parallelism);
      try {
        CompletionService<Outcome> done = new ExecutorCompletionService<>(workers);
        pending.forEach(tenant -> done.submit(() -> migrateOne(tenant)));
        List<Outcome> failed = new ArrayList<>();
        int busy = 0;
        for (int i = 0; i < pending.size(); i++) {
          Outcome outcome = done.take().get();
          if (outcome.busy()) {
            busy++;
            LOG.info("tenant {} skipped: {}", outcome.slug(), outcome.error());
            continue;
          }
          record(c, outcome);
          if (outcome.error() != null) {
            failed.add(outcome);
          }
        }
        return new Report(total, total - pending.size(), pending.size() - failed.size() - busy, busy, failed);
      } finally {
        workers.shutdownNow();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the tenant list: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** One line per tenant: slug, tier, status, version/latest, when, last error. */
  public List<String> status() {
    List<String> lines = new ArrayList<>();
    int latest = TenantMigrations.latest();
    lines.add(String.format("%-32s %-9s %-13s %-9s %-27s %s", "TENANT", "TIER", "STATUS", "VERSION", "MIGRATED AT", "LAST ERROR"));
    try (Connection c = AdminJdbc.connect(platform()); PreparedStatement ps = c.prepareStatement(STATUS);
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        boolean shared = "shared".equals(rs.getString("isolation"));
        lines.add(String.format("%-32s %-9s %-13s %-9s %-27s %s", rs.getString("slug"), rs.getString("isolation"),
          rs.getString("status"), shared ? "-" : rs.getInt("schema_version") + "/" + latest,
          rs.getTimestamp("migrated_at") == null ? "-" : rs.getTimestamp("migrated_at").toInstant().toString(),
          rs.getString("migration_error") == null ? "" : rs.getString("migration_error")));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the tenant list: " + e.getMessage(), e);
    }
    return lines;
  }

  private Outcome migrateOne(Pending tenant) {
    try {
      int version = provisioner.migrate(tenant.id(), tenant.isolation(), tenant.database());
      return new Outcome(tenant.id(), tenant.slug(), version, null, false);
    } catch (TenantProvisioner.BusyException e) {
      return new Outcome(tenant.id(), tenant.slug(), -1, e.getMessage(), true);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Outcome(tenant.id(), tenant.slug(), -1, message.lines().findFirst().orElse(message), false);
    }
  }

  private static void record(Connection c, Outcome outcome) throws SQLException {
    UUID id = outcome.id();
    if (outcome.error() == null) {
      try (PreparedStatement ps = c.prepareStatement(DONE)) {
        ps.setInt(1, outcome.version());
        ps.setObject(2, id);
        ps.executeUpdate();
      }
    } else {
      LOG.warn("tenant {} not migrated: {}", outcome.slug(), outcome.error());
      try (PreparedStatement ps = c.prepareStatement(FAILED)) {
        ps.setString(1, outcome.error());
        ps.setObject(2, id);
        ps.executeUpdate();
      }
    }
  }

  private static List<Pending> pending(Connection c, int latest) throws SQLException {
    List<Pending> pending = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(PENDING)) {
      ps.setInt(1, latest);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String host = rs.getString("db_host");
          pending.add(new Pending(rs.getObject("id", UUID.class), rs.getString("slug"),
            Isolation.parse(rs.getString("isolation")),
            host == null ? null : new DbTarget(host, rs.getInt("db_port"), rs.getString("db_name"))));
        }
      }
    }
    return pending;
  }

  private static int count(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM platform.tenants"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private PgUrl platform() {
    return config.dbAdminUrl().withDatabase(config.dbName());
  }
}
