package io.tenantry.relocation;

import io.tenantry.export.TierConnections;
import io.tenantry.provisioning.TenantProvisioner;
import io.tenantry.records.indexes.IndexCopies;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One move, start to switch, on a move worker (blocking JDBC throughout):
 * <ol>
 *   <li>copying — the target home is made (TenantProvisioner, as an import makes it), every node arms the tenant's
 *       write gate (its writes are counted), and every table is streamed by COPY from one snapshot;</li>
 *   <li>catching_up — while the tenant keeps serving, each pass copies again only what was written since the
 *       previous one ({@link ChangeDelta}: the audit log's transaction ids name every record and file written, the
 *       seals and anchors are appended by position), until a pass finds few changes; then the whole copy's counts and
 *       checksums are compared with the source as of that pass's snapshot (outside the pause);</li>
 *   <li>paused — every node holds the tenant's new writes and waits for its running ones; the last delta (what was
 *       written since the verified pass) is copied and its rows' checksums compared; the tenant row's placement
 *       changed in one UPDATE; every node forgets the tenant and lets the held writes go on, to the new home. The
 *       pause costs what was written during the last pass, not what the tenant holds. It is measured from the first
 *       close to the last open.</li>
 * </ol>
 * Anything failing (or a cancel) before the UPDATE leaves the tenant where it was: the gates open, the target copy is
 * removed. After it, the old copy is removed by {@link Relocations} once the grace period has passed.
 */
final class Relocator {
  private static final Logger LOG = LoggerFactory.getLogger(Relocator.class);
  private static final int MAX_CATCH_UP_ROUNDS = 5;
  private static final long SMALL_DELTA = 500;
  private static final long ANSWER_MS = 5_000;

  /** Thrown when a cancel was asked for: the job ends "cancelled", not "failed". */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled");
    }
  }

  private final TierConnections connections;
  private final TenantProvisioner provisioner;
  private final ClusterGates gates;
  private final RelocationStore store;
  private final TenantRegistry registry;
  private final io.tenantry.config.Config.RelocationSettings settings;
  private final IndexCopies indexes;

  Relocator(TierConnections connections, TenantProvisioner provisioner, ClusterGates gates, RelocationStore store,
            TenantRegistry registry, io.tenantry.config.Config.RelocationSettings settings, IndexCopies indexes) {
    this.connections = connections;
    this.indexes = indexes;
    this.provisioner = provisioner;
    this.gates = gates;
    this.store = store;
    this.registry = registry;
    this.settings = settings;
  }

  /** @return the measured write pause in milliseconds; the tenant lives at {@code to} afterwards */
  int move(RelocationJob job, Tenant tenant, Placement from, Placement to) throws Exception {
    UUID id = tenant.id();
    TableCopier copier = new TableCopier(id, from.schema(id), to.schema(id));
    ChangeDelta changes = new ChangeDelta(id, from.schema(id), to.schema(id));
    boolean homeMade = false;
    boolean switched = false;
    try {
      int schemaVersion = to.tier() == Isolation.SHARED ? 0 : provisioner.provision(id, to.tier(), to.database());
      homeMade = true;
      await(gates.arm(id, ANSWER_MS), ANSWER_MS + 1000);
      long armedAt = System.nanoTime();
      try (Connection source = from.connect(connections, id); Connection target = to.connect(connections, id)) {
        // Taken before the bulk copy's snapshots: whatever they miss was written by a transaction at or above it.
        String horizon = ChangeDelta.horizon(source);
        long copied = 0;
        for (TenantTable table : TenantTable.ALL) {
          copied += copier.bulk(source, target, table);
        }
        checkCancel(job);
        buildIndexes(job, home(id, to, schemaVersion));
        checkCancel(job);
        await(store.phase(job.id(), "catching_up", copied, 0), ANSWER_MS);
        RelocationFaults.enter("catching_up", id);
        // A write that entered just before its node armed the gate is not counted: it has had drain-ms to finish
        // before the pause starts (waited here, before the passes, so that what it wrote is in them, not in the pause).
        long settle = armedAt + TimeUnit.MILLISECONDS.toNanos(settings.drainMs()) - System.nanoTime();
        if (settle > 0) {
          Thread.sleep(TimeUnit.NANOSECONDS.toMillis(settle) + 1);
        }
        long caughtUp = 0;
        for (int round = 0; ; round++) {
          source.setAutoCommit(false);
          source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          try {
            String next = ChangeDelta.horizon(source);
            long changed = copier.apply(source, target, changes.since(source, target, horizon));
            horizon = next;
            caughtUp += changed;
            if (changed < SMALL_DELTA || round == MAX_CATCH_UP_ROUNDS - 1) {
              // The copy, whole, against the source as of this pass's snapshot (before the pause, not in it).
              caughtUp += verifyWhole(copier, source, target, job);
              break;
            }
          } finally {
            source.rollback();
            source.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
          }
          checkCancel(job);
        }
        checkCancel(job);
        await(store.phase(job.id(), "paused", copied, caughtUp), ANSWER_MS);
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.maxPauseMs());
        try {
          // Held writes go on by themselves after max-pause-ms on every node: past the deadline, the switch is off.
          await(gates.close(id, settings.maxPauseMs(), settings.drainMs()), settings.drainMs() + 2000);
          long closed = System.nanoTime();
          try (Connection fence = fence(from, id)) {
            long fenced = System.nanoTime();
            // One snapshot of the source for the last delta and its checksums: the copy, verified whole as of the
            // last pass, equals the source as of this snapshot once the rows written since then are equal.
            // (Best-effort audit entries may still reach the old copy after it; retire() carries them over.)
            source.setAutoCommit(false);
            source.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
              ChangeDelta.Keys last = changes.since(source, target, horizon);
              caughtUp += copier.apply(source, target, last);
              long synced = System.nanoTime();
              verifyDelta(copier, source, target, last);
              LOG.info("move {}: pause steps (ms): gates closed {}, fence {}, last delta of {} rows {}, verify {}",
                job.id(), ms(closed - start), ms(fenced - closed), last.size(), ms(synced - fenced),
                ms(System.nanoTime() - synced));
            } finally {
              source.rollback();
              source.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            }
            if (System.nanoTime() > deadline - TimeUnit.MILLISECONDS.toNanos(settings.maxPauseMs() / 4)) {
              throw new IllegalStateException("the final catch-up took longer than the write pause allows ("
                + settings.maxPauseMs() + " ms); the tenant stays where it was");
            }
            switchPlacement(tenant, from, to, schemaVersion);
            switched = true;
            fence.rollback();
          }
        } finally {
          // after the switch every node forgets the tenant before letting its held writes go on
          Future<Void> opened = gates.open(id, switched ? tenant.slug() : null, ANSWER_MS);
          try {
            await(opened, ANSWER_MS + 1000);
          } catch (Exception e) {
            LOG.warn("move {}: not every node answered the gate's opening ({}); held writes go on after {} ms",
              job.id(), e.getMessage(), settings.maxPauseMs());
          }
        }
        int pauseMs = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        registry.changed(tenant);
        await(store.phase(job.id(), "paused", copied, caughtUp), ANSWER_MS);
        return pauseMs;
      }
    } catch (Exception | Error e) {
      if (!switched) {
        try {
          await(gates.open(id, null, ANSWER_MS), ANSWER_MS + 1000);
        } catch (Exception ignored) {
          // gates open by themselves after max-pause-ms
        }
        if (homeMade) {
          removeCopy(id, to);
        }
      }
      throw e;
    }
  }

  /**
   * Writes that do not come through the data plane's gate — the audit sealer's seals, the pruner's anchors, and on
   * the schema and database tiers any other writer of the tenant's tables — wait on table locks, taken on the
   * source for the last catch-up and released after the switch (they then land in the old copy, which is
   * removed; the sealer seals the same entries again in the new home). On the shared tier only the seal and anchor
   * tables are locked: locking shared.records or shared.audit_log would hold every shared tenant's writes.
   */
  private Connection fence(Placement from, UUID id) throws SQLException {
    Connection c = from.connect(connections, id);
    try (Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("SET LOCAL lock_timeout = '" + Math.max(100, settings.drainMs()) + "ms'");
      String schema = io.tenantry.db.SqlIdentifiers.quoteIdent(from.schema(id));
      String tables = schema + ".audit_seal, " + schema + ".audit_anchor"
        + (from.tier() == Isolation.SHARED ? "" : ", " + schema + ".audit_log, " + schema + ".records");
      st.execute("LOCK TABLE " + tables + " IN EXCLUSIVE MODE");
      return c;
    } catch (SQLException e) {
      c.close();
      throw e;
    }
  }

  /**
   * After the grace period: carries audit entries that reached the old copy after the switch's snapshot over to the
   * tenant's home (append only: entries are immutable and keyed by id), then removes the old copy.
   */
  void retire(UUID id, Placement old) {
    try {
      Placement home = current(id);
      if (home != null && !home.equals(old)) {
        TableCopier copier = new TableCopier(id, old.schema(id), home.schema(id));
        try (Connection source = old.connect(connections, id); Connection target = home.connect(connections, id)) {
          long late = copier.append(source, target, TenantTable.AUDIT_LOG);
          if (late > 0) {
            LOG.info("carried {} late audit entries of tenant {} over from its old copy", late, id);
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn("late audit entries of tenant {} not carried over from {}: {}", id, old.describe(), e.getMessage());
    }
    removeCopy(id, old);
  }

  /** Removes a tenant's data from a placement it no longer lives in (the old copy, or a failed move's target). */
  void removeCopy(UUID id, Placement where) {
    try {
      if (where.equals(current(id))) {
        LOG.warn("not removing the {} copy of tenant {}: the tenant lives there", where.describe(), id);
        return;
      }
      if (where.tier() == Isolation.SHARED) {
        try (Connection c = connections.platform(id); Statement st = c.createStatement()) {
          for (TenantTable table : TenantTable.REMOVAL_ORDER) {
            st.execute("DELETE FROM shared." + table.name() + " WHERE tenant_id = '" + id + "'");
          }
        }
      }
      provisioner.deprovision(id, where.tier(), where.database()); // on the shared tier: the tenant's partial indexes
    } catch (SQLException | RuntimeException e) {
      LOG.warn("could not remove the {} copy of tenant {}: {}", where.describe(), id, e.getMessage());
    }
  }

  /**
   * The declared indexes on the target copy, built after the bulk copy and before the catch-up passes: the copy serves
   * filtered queries from its first request, the passes catch up with what was written meanwhile, and the pause never
   * waits for a build. With nobody reading the copy yet a failed build does not stop the move; the pass after the
   * switch ({@link #settleIndexes}) tries it again and records the outcome. Source and target connections are idle
   * here: a CREATE INDEX CONCURRENTLY waits for every older snapshot of its database, theirs too.
   */
  private void buildIndexes(RelocationJob job, IndexCopies.Home target) {
    long start = System.nanoTime();
    try {
      indexes.build(target, false);
      LOG.info("move {}: declared indexes built on the target copy in {} ms", job.id(), ms(System.nanoTime() - start));
    } catch (SQLException | RuntimeException e) {
      LOG.warn("move {}: declared indexes not built on the target copy before the switch: {}", job.id(), e.getMessage());
    }
  }

  /**
   * After the switch, where the tenant lives: builds what the copy still lacks (a declaration made during the move),
   * drops what no declaration names any more (one deleted during the move, its drop run on the old copy), and sets
   * each declaration's status (and typed flag) to what the new home holds.
   */
  void settleIndexes(UUID id) throws SQLException {
    Placement home = current(id);
    if (home != null) {
      indexes.build(home(id, home, io.tenantry.provisioning.TenantMigrations.latest()), true);
    }
  }

  /** A move's target is provisioned at the latest tenant migration: its records have the field functions. */
  private static IndexCopies.Home home(UUID id, Placement where, int schemaVersion) {
    return new IndexCopies.Home(id, where.tier(), where.database(), schemaVersion);
  }

  /** Where the tenant row says the tenant lives now; null when the tenant is gone. */
  Placement current(UUID id) throws SQLException {
    try (Connection c = connections.platform(id); PreparedStatement ps = c.prepareStatement(
      "SELECT isolation, db_host, db_port, db_name FROM platform.tenants WHERE id = ?")) {
      ps.setObject(1, id);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        Isolation tier = Isolation.parse(rs.getString(1));
        return new Placement(tier, tier != Isolation.DATABASE ? null
          : new io.tenantry.tenant.DbTarget(rs.getString(2), rs.getInt(3), rs.getString(4)));
      }
    }
  }

  /**
   * Compares every table's count and checksum, the source's in the caller's snapshot with the target's. A table
   * that differs (a write that left no audit entry, say) is made equal by key in the same snapshot
   * ({@link TableCopier#sync}, a scan of the tenant — outside the pause) and compared again; a second difference
   * fails the move. Returns how many rows that repair copied.
   */
  private long verifyWhole(TableCopier copier, Connection source, Connection target, RelocationJob job) throws SQLException {
    long repaired = 0;
    for (TenantTable table : TenantTable.ALL) {
      String expected = copier.checksum(source, true, table);
      if (!expected.equals(copier.checksum(target, false, table))) {
        long rows = copier.sync(source, target, table);
        LOG.warn("move {}: the copy of {} differed from the source after catching up; {} rows copied again by key",
          job.id(), table.name(), rows);
        repaired += rows;
        String actual = copier.checksum(target, false, table);
        if (!expected.equals(actual)) {
          throw new IllegalStateException("the copy of " + table.name() + " differs from the source (" + actual
            + " vs " + expected + "); the tenant stays where it was");
        }
      }
    }
    return repaired;
  }

  /** In the pause: the rows the last delta named, source against target (the rest was verified before the pause). */
  private void verifyDelta(TableCopier copier, Connection source, Connection target, ChangeDelta.Keys delta)
    throws SQLException {
    for (var e : delta.byTable().entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      String expected = copier.checksum(source, true, e.getKey(), e.getValue());
      String actual = copier.checksum(target, false, e.getKey(), e.getValue());
      if (!expected.equals(actual)) {
        throw new IllegalStateException("the copy of " + e.getKey().name() + " differs from the source in the rows "
          + "written during the move (" + actual + " vs " + expected + "); the tenant stays where it was");
      }
    }
  }

  /** One UPDATE, only if the tenant is still where the move found it (nobody moved or deleted it meanwhile). */
  private void switchPlacement(Tenant tenant, Placement from, Placement to, int schemaVersion) throws SQLException {
    try (Connection c = connections.platform(tenant.id()); PreparedStatement ps = c.prepareStatement(
      "UPDATE platform.tenants SET isolation = ?, db_host = ?, db_port = ?, db_name = ?, schema_version = ? "
        + "WHERE id = ? AND isolation = ? AND db_host IS NOT DISTINCT FROM ? AND db_name IS NOT DISTINCT FROM ? "
        + "AND status <> 'deleted'")) {
      ps.setString(1, to.tier().sql());
      ps.setString(2, to.database() == null ? null : to.database().host());
      ps.setObject(3, to.database() == null ? null : to.database().port(), java.sql.Types.INTEGER);
      ps.setString(4, to.database() == null ? null : to.database().database());
      ps.setInt(5, schemaVersion);
      ps.setObject(6, tenant.id());
      ps.setString(7, from.tier().sql());
      ps.setString(8, from.database() == null ? null : from.database().host());
      ps.setString(9, from.database() == null ? null : from.database().database());
      if (ps.executeUpdate() != 1) {
        throw new IllegalStateException("the tenant changed while it was being moved; it stays where it was");
      }
    }
  }

  private void checkCancel(RelocationJob job) throws Exception {
    if (await(store.cancelRequested(job.id()), ANSWER_MS)) {
      throw new Cancelled();
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /** Blocking wait on a worker thread for an event-loop future. */
  static <T> T await(Future<T> future, long ms) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(ms, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer within " + ms + " ms");
    }
  }
}
