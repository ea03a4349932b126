package io.tenantry.audit;

import io.tenantry.config.Config;
import io.tenantry.config.PgUrl;
import io.tenantry.db.AdminJdbc;
import io.tenantry.settings.EffectiveConfigCache;
import io.tenantry.settings.Resolved;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Removes entries older than each tenant's audit.retention_days, as the owner role (the runtime role cannot
 * delete), over the admin connection, on a worker thread of its own. Only a sealed prefix of the chain is removed,
 * and the hash at its end is kept as an anchor first, so verification of what remains starts from there. Under the
 * sealer's advisory lock, so no seal is appended while the prefix goes.
 */
public final class AuditPruner {
  private static final Logger LOG = LoggerFactory.getLogger(AuditPruner.class);
  static final String SETTING = "audit.retention_days";
  private static final String TENANTS = "SELECT id FROM platform.tenants WHERE status <> 'provisioning'";

  private final Vertx vertx;
  private final Config config;
  private final TenantRegistry registry;
  private final EffectiveConfigCache settings;
  private final Pool platform;
  private WorkerExecutor worker;
  private long timer = -1;
  private boolean running;

  public AuditPruner(Vertx vertx, Config config, TenantRegistry registry, EffectiveConfigCache settings, Pool platform) {
    this.vertx = vertx;
    this.config = config;
    this.registry = registry;
    this.settings = settings;
    this.platform = platform;
  }

  public void start() {
    worker = vertx.createSharedWorkerExecutor("tenantry-audit-prune", 1);
    timer = vertx.setPeriodic(config.audit().pruneIntervalSeconds() * 1000L, id -> pruneAll());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (worker != null) {
      worker.close();
    }
  }

  /** One turn over every tenant: those with a retention lose what is older than it. */
  public Future<Integer> pruneAll() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    return platform.query(TENANTS).execute().compose(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(row -> ids.add(row.getUUID("id")));
      Future<Integer> total = Future.succeededFuture(0);
      for (UUID id : ids) {
        total = total.compose(sum -> registry.byId(id)
          .compose(found -> found.map(this::prune).orElse(Future.succeededFuture(0)))
          .recover(e -> {
            LOG.warn("pruning the audit log of tenant {} failed: {}", id, e.toString());
            return Future.succeededFuture(0);
          })
          .map(n -> sum + n));
      }
      return total;
    }).onComplete(done -> running = false);
  }

  /** @return how many entries were removed */
  public Future<Integer> prune(Tenant tenant) {
    if (tenant.isolation() != Isolation.SHARED && tenant.schemaVersion() < 2) {
      return Future.succeededFuture(0);
    }
    return settings.of(tenant).compose(config -> {
      Resolved days = config.get(SETTING);
      int retention = days != null && days.value() instanceof Number n ? n.intValue() : 0;
      if (retention <= 0) {
        return Future.succeededFuture(0);
      }
      OffsetDateTime cutoff = OffsetDateTime.now().minusDays(retention);
      return worker.executeBlocking(() -> pruneBlocking(tenant, cutoff), false);
    });
  }

  private int pruneBlocking(Tenant tenant, OffsetDateTime cutoff) throws SQLException {
    String schema = quoteIdent(tenant.schema());
    String log = schema + ".audit_log";
    String seal = schema + ".audit_seal";
    String anchor = schema + ".audit_anchor";
    try (Connection c = AdminJdbc.connect(database(tenant))) {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL ROLE " + quoteIdent(config.ownerRole()));
        st.execute("SET LOCAL app.tenant_id = '" + tenant.id() + "'"); // a UUID's own text
        st.execute("SELECT pg_advisory_xact_lock(hashtextextended('tenantry.audit.seal:" + tenant.id() + "', 0))");
        // the end of the sealed prefix whose entries are all older than the cutoff
        long end;
        try (PreparedStatement q = c.prepareStatement("SELECT coalesce((SELECT min(s.position) - 1 FROM " + seal
            + " s JOIN " + log + " a ON a.tenant_id = s.tenant_id AND a.id = s.entry_id WHERE s.tenant_id = ? AND a.at >= ?),"
            + " (SELECT max(position) FROM " + seal + " WHERE tenant_id = ?), 0)")) {
          q.setObject(1, tenant.id());
          q.setObject(2, cutoff);
          q.setObject(3, tenant.id());
          try (ResultSet rs = q.executeQuery()) {
            rs.next();
            end = rs.getLong(1);
          }
        }
        int removed = 0;
        if (end > 0) {
          try (PreparedStatement keep = c.prepareStatement("INSERT INTO " + anchor + " (tenant_id, position, hash) "
              + "SELECT tenant_id, position, hash FROM " + seal + " WHERE tenant_id = ? AND position = ? "
              + "ON CONFLICT DO NOTHING");
               PreparedStatement entries = c.prepareStatement("DELETE FROM " + log + " a USING " + seal + " s "
                 + "WHERE a.tenant_id = ? AND s.tenant_id = a.tenant_id AND s.entry_id = a.id AND s.position <= ?");
               PreparedStatement seals = c.prepareStatement("DELETE FROM " + seal + " WHERE tenant_id = ? AND position <= ?")) {
            for (PreparedStatement p : List.of(keep, entries, seals)) {
              p.setObject(1, tenant.id());
              p.setLong(2, end);
            }
            keep.executeUpdate();
            removed = entries.executeUpdate();
            seals.executeUpdate();
          }
        }
        c.commit();
        if (removed > 0) {
          LOG.info("pruned {} audit entries of tenant {} (chain anchored at position {})", removed, tenant.slug(), end);
        }
        return removed;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private PgUrl database(Tenant tenant) {
    PgUrl admin = config.dbAdminUrl();
    if (tenant.database() == null) {
      return admin.withDatabase(config.dbName());
    }
    return new PgUrl(tenant.database().host(), tenant.database().port(), admin.database(), admin.user(), admin.password())
      .withDatabase(tenant.database().database());
  }
}
