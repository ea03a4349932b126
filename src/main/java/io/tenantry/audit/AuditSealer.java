package io.tenantry.audit;

import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chains a tenant's entries after the fact, so writers never wait on a chain head: every audit.seal-interval-ms this
 * node seals the tenants it saw entries for (and, every {@link #SWEEP_EVERY} ticks, every tenant, which covers
 * entries of a node that stopped before sealing). A tenant is sealed in one transaction under a transaction-scoped
 * advisory lock in its own database, so two nodes never extend the same chain at once; a busy lock is skipped.
 */
public final class AuditSealer {
  private static final Logger LOG = LoggerFactory.getLogger(AuditSealer.class);
  static final int BATCH = 1_000;
  private static final int BATCHES_PER_TURN = 10;
  private static final int SWEEP_EVERY = 300;
  /**
   * How far before the chain's head unsealed entries are looked for. Entries are found by an anti-join with the
   * seals, so the window is what a turn costs: a regular turn looks back {@link #RECENT_SECONDS} (a record write's
   * entry commits with its statement, or with its short read-check-write transaction), a sweep and a verify look back
   * {@link #LATE_COMMIT_SECONDS}, longer than any write transaction lasts. An entry committed later than a regular
   * turn's window is sealed by the next sweep, further down the chain.
   */
  private static final long RECENT_SECONDS = 10;
  private static final long LATE_COMMIT_SECONDS = 300;
  private static final String KEY = "hashtextextended('tenantry.audit.seal:' || $1, 0)";
  private static final String TRY_LOCK = "SELECT set_config('app.tenant_id', $1, true), pg_try_advisory_xact_lock("
    + KEY + ") AS locked";
  private static final String LOCK = "SELECT set_config('app.tenant_id', $1, true), pg_advisory_xact_lock(" + KEY
    + ")::text IS NOT NULL AS locked";
  private static final String ALL_TENANTS = "SELECT id FROM platform.tenants WHERE status <> 'provisioning'";

  private final Vertx vertx;
  private final AuditLog log;
  private final TenantRegistry registry;
  private final Pool platform;
  private final long intervalMs;
  private final Set<UUID> dirty = ConcurrentHashMap.newKeySet();
  private long timer = -1;
  private long ticks;
  private boolean running;

  public AuditSealer(Vertx vertx, AuditLog log, TenantRegistry registry, Pool platform, long intervalMs) {
    this.vertx = vertx;
    this.log = log;
    this.registry = registry;
    this.platform = platform;
    this.intervalMs = intervalMs;
  }

  public void start() {
    ticks = SWEEP_EVERY - 1; // the first turn sweeps every tenant
    timer = vertx.setPeriodic(intervalMs, id -> turn());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** A tenant has new entries; cheap, called on every audited write. */
  public void touched(UUID tenantId) {
    dirty.add(tenantId);
  }

  private void turn() {
    if (running) {
      return;
    }
    running = true;
    boolean sweep = ++ticks % SWEEP_EVERY == 0;
    long lookback = sweep ? LATE_COMMIT_SECONDS : RECENT_SECONDS;
    Future<List<UUID>> due = sweep ? allTenants() : Future.succeededFuture(drainDirty());
    due.compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (UUID id : ids) {
        chain = chain.compose(v -> registry.byId(id)
          .compose(t -> t.map(tenant -> seal(tenant, false, lookback).<Void>mapEmpty()).orElse(Future.succeededFuture()))
          .recover(e -> {
            LOG.warn("sealing the audit log of tenant {} failed: {}", id, e.toString());
            return Future.succeededFuture();
          }));
      }
      return chain;
    }).onComplete(done -> running = false);
  }

  private List<UUID> drainDirty() {
    List<UUID> ids = new ArrayList<>(dirty);
    ids.forEach(dirty::remove);
    return ids;
  }

  private Future<List<UUID>> allTenants() {
    drainDirty();
    return platform.query(ALL_TENANTS).execute().map(rows -> {
      List<UUID> ids = new ArrayList<>(rows.size());
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
  }

  /**
   * Appends the tenant's unsealed entries to its chain. {@code wait}: wait for another sealer of the tenant to
   * finish (verify does, to see the latest chain) rather than skip.
   *
   * @return how many entries were sealed
   */
  public Future<Integer> seal(Tenant tenant, boolean wait) {
    return seal(tenant, wait, LATE_COMMIT_SECONDS);
  }

  /**
   * The lock, the chain's head and the first batch are sent together, pipelined on the connection, which runs them
   * in order: the head and the batch are read once the lock is held (without it they are read and dropped). Each
   * later batch is read behind the statement that appends the one before, whose seals it sees. A sealing thus waits
   * for PostgreSQL three times (read, append, commit) rather than five or more; each wait costs both processes a
   * system call and a wake-up, which at a thousand tenants a turn was most of what sealing cost the server.
   */
  private Future<Integer> seal(Tenant tenant, boolean wait, long lookback) {
    String lock = wait ? LOCK : TRY_LOCK;
    AuditSql sql = log.sql(tenant);
    return log.db().withTenant(tenant, conn -> {
      Future<RowSet<Row>> locked = conn.preparedQuery(lock).execute(Tuple.of(tenant.id().toString()));
      Future<Link> head = head(conn, tenant, sql);
      Future<RowSet<Row>> first = unsealed(conn, tenant, sql, lookback);
      return Future.all(locked, head, first).compose(read -> locked.result().iterator().next().getBoolean("locked")
        ? batches(conn, tenant, sql, lookback, head.result(), first.result(), 0, 0)
        : Future.succeededFuture(0));
    });
  }

  /** Chains {@code rows} after {@code head}, and the batches after them while batches come full. */
  private Future<Integer> batches(SqlConnection conn, Tenant tenant, AuditSql sql, long lookback, Link head,
                                  RowSet<Row> rows, int done, int turn) {
    if (rows.size() == 0) {
      return Future.succeededFuture(done);
    }
    List<Long> positions = new ArrayList<>(rows.size());
    List<UUID> entries = new ArrayList<>(rows.size());
    List<String> hashes = new ArrayList<>(rows.size());
    long position = head.position();
    byte[] hash = head.hash();
    for (Row row : rows) {
      AuditRow entry = AuditRow.from(row);
      hash = AuditChain.link(hash, entry);
      positions.add(++position);
      entries.add(entry.id());
      hashes.add(HexFormat.of().formatHex(hash));
    }
    Future<RowSet<Row>> appended = conn.preparedQuery(sql.appendSeals()).execute(Tuple.of(tenant.id(),
      positions.toArray(new Long[0]), entries.toArray(new UUID[0]), hashes.toArray(new String[0])));
    int sealed = done + rows.size();
    if (rows.size() < BATCH || turn + 1 >= BATCHES_PER_TURN) {
      return appended.map(sealed);
    }
    Link last = new Link(position, hash);
    Future<RowSet<Row>> next = unsealed(conn, tenant, sql, lookback);
    return Future.all(appended, next)
      .compose(read -> batches(conn, tenant, sql, lookback, last, next.result(), sealed, turn + 1));
  }

  /** A position of the chain and its hash: a seal, or the anchor a pruning left. */
  record Link(long position, byte[] hash) {
  }

  /**
   * Entries not chained yet, from {@code lookback} seconds before the chain's head (the statement finds the head
   * itself, so it can be sent before the head is known), in time order.
   */
  private static Future<RowSet<Row>> unsealed(SqlConnection conn, Tenant tenant, AuditSql sql, long lookback) {
    return conn.preparedQuery(sql.unsealed()).execute(Tuple.of(tenant.id(), (double) lookback, BATCH));
  }

  /** The chain's last link: the newest seal, else the anchor a pruning left, else the empty chain. */
  private Future<Link> head(SqlConnection conn, Tenant tenant, AuditSql sql) {
    return conn.preparedQuery(sql.head()).execute(Tuple.of(tenant.id())).compose(rows -> {
      if (rows.size() > 0) {
        Row row = rows.iterator().next();
        return Future.succeededFuture(new Link(row.getLong("position"), row.getBuffer("hash").getBytes()));
      }
      return anchor(conn, tenant, sql).map(anchor -> anchor.orElse(new Link(0, AuditChain.GENESIS)));
    });
  }

  static Future<Optional<Link>> anchor(io.vertx.sqlclient.SqlClient client, Tenant tenant, AuditSql sql) {
    return client.preparedQuery(sql.latestAnchor()).execute(Tuple.of(tenant.id())).map(rows -> rows.size() == 0
      ? Optional.empty()
      : Optional.of(new Link(rows.iterator().next().getLong("position"), rows.iterator().next().getBuffer("hash").getBytes())));
  }
}
