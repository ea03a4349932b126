package io.tenantry.pool;

import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantGone;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The own pools of database-tier tenants: opened on first use, closed after an idle timeout, and never more
 * than the connection budget allows ((budget - platform pool) / pool size). When the budget is full, the pool
 * idle longest is closed to make room; if every pool is busy the request gets 503 with Retry-After.
 */
public final class DedicatedPools {
  private static final Logger LOG = LoggerFactory.getLogger(DedicatedPools.class);
  /** How long a deleted tenant's requests may keep its pool open before it is closed under them. */
  private static final long DRAIN_MS = 10_000;
  /** How long a deleted tenant is remembered: longer than any of its requests can still be running. */
  private static final long DELETED_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final PoolFactory factory;
  private final int maxPools;
  private final long idleNanos;
  private final Map<UUID, Entry> pools = new HashMap<>();
  /** Deleted tenants (id -> when), so a request still running for one never opens a pool to its database again. */
  private final Map<UUID, Long> deleted = new HashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong opened = new AtomicLong();
  private final long sweeper;
  private final Vertx vertx;

  private static final class Entry {
    final Pool pool;
    /** The tenant's statement timeout its connections were opened with. */
    final Integer statementTimeoutMs;
    /** The database its connections go to: a tenant moved elsewhere (io.tenantry.relocation) gets a new pool. */
    io.tenantry.tenant.DbTarget target;
    int inFlight;
    long lastUsed;
    /** Set once its tenant is deleted: completed when the pool is closed. */
    Promise<Void> closing;
    boolean closed;

    Entry(Pool pool, Integer statementTimeoutMs) {
      this.pool = pool;
      this.statementTimeoutMs = statementTimeoutMs;
    }
  }

  /** A pool lent to one request; give it back once the request's connection is closed. */
  public record Lease(Pool pool, Runnable release) {
  }

  public DedicatedPools(Vertx vertx, PoolFactory factory, int maxPools, int idleSeconds) {
    this.vertx = vertx;
    this.factory = factory;
    this.maxPools = maxPools;
    this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
    long period = Math.max(1000, Math.min(60_000, TimeUnit.SECONDS.toMillis(idleSeconds) / 2));
    this.sweeper = vertx.setPeriodic(period, id -> closeIdle(System.nanoTime()));
  }

  public Future<Lease> lease(Tenant tenant) {
    Entry entry;
    synchronized (this) {
      if (deleted.containsKey(tenant.id())) {
        return Future.failedFuture(new TenantGone(tenant.id()));
      }
      entry = pools.get(tenant.id());
      if (entry != null && !Objects.equals(entry.target, tenant.database())) {
        // Moved to another database: its requests from before the move finish on the old pool, closed after them.
        Entry old = pools.remove(tenant.id());
        old.closing = Promise.promise();
        if (old.inFlight == 0) {
          closeNow(old);
        }
        entry = null;
      }
      if (entry != null && entry.inFlight == 0 && !Objects.equals(entry.statementTimeoutMs, tenant.statementTimeoutMs())) {
        // The tenant's timeout changed: its connections carry the old one, so the pool is reopened once unused.
        pools.remove(tenant.id()).pool.close();
        entry = null;
      }
      if (entry == null) {
        if (pools.size() >= maxPools && !evictLongestIdle()) {
          rejected.incrementAndGet();
          return Future.failedFuture(new PoolBusy("the database connection budget is in use; retry shortly", 1));
        }
        entry = new Entry(factory.dedicated(tenant.database(), tenant.statementTimeoutMs()), tenant.statementTimeoutMs());
        entry.target = tenant.database();
        pools.put(tenant.id(), entry);
        opened.incrementAndGet();
      }
      entry.inFlight++;
      entry.lastUsed = System.nanoTime();
    }
    Entry leased = entry;
    return Future.succeededFuture(new Lease(leased.pool, () -> {
      synchronized (this) {
        leased.inFlight--;
        leased.lastUsed = System.nanoTime();
        if (leased.closing != null && leased.inFlight == 0) {
          closeNow(leased);
        }
      }
    }));
  }

  /**
   * The tenant is being deleted: no pool is opened for it again on this node, and its pool, if open, is closed once
   * the requests using it are done (at most {@link #DRAIN_MS}) — so they end normally rather than on a closed pool,
   * and its database is dropped only after.
   */
  public Future<Void> close(UUID tenantId) {
    Entry entry;
    synchronized (this) {
      deleted.put(tenantId, System.nanoTime());
      entry = pools.remove(tenantId);
      if (entry == null) {
        return Future.succeededFuture();
      }
      entry.closing = Promise.promise();
      if (entry.inFlight == 0) {
        closeNow(entry);
        return entry.closing.future();
      }
    }
    long timer = vertx.setTimer(DRAIN_MS, id -> {
      synchronized (this) {
        closeNow(entry);
      }
    });
    return entry.closing.future().andThen(done -> vertx.cancelTimer(timer));
  }

  /** Closes a deleted tenant's pool once; call holding the lock. */
  private void closeNow(Entry entry) {
    if (!entry.closed) {
      entry.closed = true;
      entry.pool.close().onComplete(entry.closing);
    }
  }

  public synchronized int open() {
    return pools.size();
  }

  public int maxPools() {
    return maxPools;
  }

  public long rejected() {
    return rejected.get();
  }

  public long opened() {
    return opened.get();
  }

  synchronized void closeIdle(long now) {
    deleted.values().removeIf(when -> now - when > DELETED_NANOS);
    pools.entrySet().removeIf(e -> {
      Entry entry = e.getValue();
      if (entry.inFlight == 0 && now - entry.lastUsed > idleNanos) {
        entry.pool.close();
        LOG.debug("closed the idle pool of tenant {}", e.getKey());
        return true;
      }
      return false;
    });
  }

  public Future<Void> closeAll() {
    vertx.cancelTimer(sweeper);
    synchronized (this) {
      Future<?>[] closing = pools.values().stream().map(e -> e.pool.close()).toArray(Future[]::new);
      pools.clear();
      return Future.join(java.util.List.of(closing)).mapEmpty();
    }
  }

  private boolean evictLongestIdle() {
    UUID victim = null;
    long oldest = Long.MAX_VALUE;
    for (Map.Entry<UUID, Entry> e : pools.entrySet()) {
      if (e.getValue().inFlight == 0 && e.getValue().lastUsed < oldest) {
        oldest = e.getValue().lastUsed;
        victim = e.getKey();
      }
    }
    if (victim == null) {
      return false;
    }
    pools.remove(victim).pool.close();
    return true;
  }
}
