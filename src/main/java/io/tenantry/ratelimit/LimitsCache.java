package io.tenantry.ratelimit;

import io.tenantry.tenant.TenantGone;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits in force per tenant, cached on this node so that deciding a request needs no database work.
 * A change made through the API evicts at once on this node and is published on the event bus
 * ({@value #CHANGED_ADDRESS}; the tenant id in a header, none for a plan change, which concerns all tenants), so
 * every node sharing the bus evicts too. The safety net: every refresh period one small query reads the limits'
 * version (one row that every committed change moves, V57) and, only when it moved, one query reloads all tenants
 * this node holds — so a change reaches nodes the bus does not (separate, unclustered nodes; edits in SQL) within that
 * period, requests never wait for it, and 10,000 held tenants cost no more than one row a period while nothing
 * changes. A reload that fails keeps the last known limits. Tenants unused for a
 * minute are dropped, so memory follows the active tenants.
 */
public final class LimitsCache {
  public static final String CHANGED_ADDRESS = "tenantry.limits.changed";
  private static final Logger LOG = LoggerFactory.getLogger(LimitsCache.class);
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private static final class Entry {
    final Future<TenantLimits> limits;
    volatile long usedAt;

    Entry(Future<TenantLimits> limits, long usedAt) {
      this.limits = limits;
      this.usedAt = usedAt;
    }
  }

  private final LimitsStore store;
  private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();
  /** Bumped by every eviction; a load or reload that raced with one is not kept. */
  private final AtomicLong generation = new AtomicLong();
  private final AtomicBoolean reloading = new AtomicBoolean();
  /** The limits' version the last complete reload started from; -1 until one has. */
  private final AtomicLong reloadedVersion = new AtomicLong(-1);
  private EventBus eventBus;
  private long timer = -1;

  public LimitsCache(LimitsStore store) {
    this.store = store;
  }

  /** Starts evicting on change notices from any node, and reloading every {@code refreshMs}. */
  public Future<Void> start(Vertx vertx, int refreshMs) {
    this.eventBus = vertx.eventBus();
    timer = vertx.setPeriodic(refreshMs, id -> reloadAll());
    MessageConsumer<String> consumer = eventBus.consumer(CHANGED_ADDRESS, message -> {
      String id = message.headers().get(TenantRegistry.TENANT_HEADER);
      evict(id == null ? null : UUID.fromString(id));
    });
    return consumer.completion();
  }

  public void stop(Vertx vertx) {
    vertx.cancelTimer(timer);
  }

  public Future<TenantLimits> get(UUID tenantId) {
    long now = System.nanoTime();
    Entry entry = entries.get(tenantId);
    if (entry != null && !entry.limits.failed()) {
      entry.usedAt = now;
      return entry.limits;
    }
    long startGeneration = generation.get();
    Future<TenantLimits> loading = store.byTenant(tenantId)
      .map(found -> found.orElseThrow(() -> new TenantGone(tenantId)));
    Entry fresh = new Entry(loading, now);
    entries.put(tenantId, fresh);
    loading.onComplete(result -> {
      if (result.failed() || generation.get() != startGeneration) {
        entries.remove(tenantId, fresh);
      } else {
        // A future bound to no event loop: callers on any event loop can read it without a hop.
        entries.replace(tenantId, fresh, new Entry(Future.succeededFuture(result.result()), fresh.usedAt));
      }
    });
    return loading;
  }

  /** Call after changing a tenant's limits or plan: evicts here and tells the other nodes. */
  public void tenantChanged(UUID tenantId) {
    evict(tenantId);
    eventBus.publish(CHANGED_ADDRESS, "changed", new DeliveryOptions().addHeader(TenantRegistry.TENANT_HEADER, tenantId.toString()));
  }

  /** Call after changing a plan: any tenant may be on it. */
  public void planChanged() {
    evict(null);
    eventBus.publish(CHANGED_ADDRESS, "changed");
  }

  /** Call after changing a subtree budget or cap: every tenant below may draw from it. */
  public void hierarchyChanged() {
    planChanged();
  }

  private void evict(UUID tenantId) {
    generation.incrementAndGet();
    if (tenantId == null) {
      entries.clear();
    } else {
      entries.remove(tenantId);
    }
  }

  /**
   * When the limits' version moved since the last reload, one query for every tenant held; skipped while the previous
   * one is still running. The future completes when this reload is over (at once when skipped) and never fails: a
   * failed reload keeps the last known limits. The version is read before the tenants, so a change that commits in
   * between is either in this reload or moves the version for the next.
   */
  Future<Void> reloadAll() {
    long now = System.nanoTime();
    entries.values().removeIf(e -> now - e.usedAt > IDLE_NANOS);
    if (entries.isEmpty() || !reloading.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    long startGeneration = generation.get();
    return store.version()
      .compose(version -> version == reloadedVersion.get() ? Future.succeededFuture()
        : reload(startGeneration).onSuccess(kept -> {
          if (kept) {
            reloadedVersion.set(version);
          }
        }))
      .onFailure(e -> LOG.debug("reloading rate limits failed; keeping the last known ones", e))
      .onComplete(done -> reloading.set(false))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  /** Reloads every held tenant; true when the result was kept (no eviction raced with it). */
  private Future<Boolean> reload(long startGeneration) {
    List<UUID> ids = entries.entrySet().stream()
      .filter(e -> e.getValue().limits.succeeded())
      .map(Map.Entry::getKey)
      .toList();
    if (ids.isEmpty()) {
      return Future.succeededFuture(true);
    }
    return store.byTenants(ids)
      .map(all -> {
        if (generation.get() != startGeneration) {
          return false;
        }
        // Unchanged limits keep their instance: the limiter recognises its tenant's budget by identity.
        all.forEach(limits -> entries.computeIfPresent(limits.tenantId(), (id, old) ->
          old.limits.succeeded() && old.limits.result().equals(limits) ? old
            : new Entry(Future.succeededFuture(limits), old.usedAt)));
        return true;
      });
  }
}
