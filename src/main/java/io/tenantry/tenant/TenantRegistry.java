package io.tenantry.tenant;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Resolved tenants, cached in memory by id and by slug. Concurrent misses for one key share one query. A change
 * made through {@link #changed(Tenant)} evicts at once on this node and is published on the event bus (with the
 * tenant id, and the slug when known, in headers) so other nodes evict too; the TTL is only a safety net.
 * Unknown ids and slugs are remembered briefly in a bounded set of their own ({@link UnknownTenants}), so a client
 * repeating a name that does not exist costs no database round trip, and random names cannot fill memory.
 * Expired entries are dropped every TTL ({@link #purgeExpired}, started by {@link #listen(Vertx)}), so the cache
 * holds the tenants used within about two TTLs, not every tenant this node ever served; deleted and archived
 * tenants leave it at once through {@link #changed}.
 */
public final class TenantRegistry {
  public static final String CHANGED_ADDRESS = "tenantry.tenant.changed";
  public static final String TENANT_HEADER = "tenant-id";
  public static final String SLUG_HEADER = "tenant-slug";
  private static final Future<Optional<Tenant>> UNKNOWN = Future.succeededFuture(Optional.empty());

  private record Entry(Future<Optional<Tenant>> tenant, long expiresAt) {
  }

  private final Function<UUID, Future<Optional<Tenant>>> loadById;
  private final Function<String, Future<Optional<Tenant>>> loadBySlug;
  private final long ttlNanos;
  private final Map<UUID, Entry> byId = new ConcurrentHashMap<>();
  private final Map<String, Entry> bySlug = new ConcurrentHashMap<>();
  private final UnknownTenants unknown;
  /** Bumped by every eviction; a load that raced with one is not cached. */
  private final AtomicLong generation = new AtomicLong();
  private EventBus eventBus;
  /** Lookups answered from memory, and those that went to the database (metrics). */
  private final java.util.concurrent.atomic.LongAdder hits = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder misses = new java.util.concurrent.atomic.LongAdder();

  public TenantRegistry(TenantStore store, int ttlSeconds) {
    this(store::byId, store::bySlug, ttlSeconds, new UnknownTenants(UnknownTenants.DEFAULT_MAX, UnknownTenants.DEFAULT_TTL_MS));
  }

  TenantRegistry(Function<UUID, Future<Optional<Tenant>>> loadById, Function<String, Future<Optional<Tenant>>> loadBySlug,
                 int ttlSeconds, UnknownTenants unknown) {
    // made once: a lookup that hits the cache allocates no loader
    this.loadById = loadById;
    this.loadBySlug = loadBySlug;
    this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
    this.unknown = unknown;
  }

  /** Starts evicting on change notices from any node, and dropping expired entries every TTL. */
  public Future<Void> listen(Vertx vertx) {
    long every = Math.max(1000, TimeUnit.NANOSECONDS.toMillis(ttlNanos));
    vertx.setPeriodic(every, id -> purgeExpired());
    return listen(vertx.eventBus());
  }

  /** Starts evicting on change notices from any node. */
  public Future<Void> listen(EventBus eventBus) {
    this.eventBus = eventBus;
    MessageConsumer<String> consumer = eventBus.consumer(CHANGED_ADDRESS, message -> {
      UUID id = tenantId(message.headers().get(TENANT_HEADER));
      String slug = message.headers().get(SLUG_HEADER);
      if (slug != null) {
        evictSlug(slug);
      }
      if (id != null) {
        evict(id);
      }
    });
    return consumer.completion();
  }

  private static UUID tenantId(String header) {
    try {
      return header == null ? null : UUID.fromString(header);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public Future<Optional<Tenant>> byId(UUID id) {
    return cached(byId, id, loadById);
  }

  public Future<Optional<Tenant>> bySlug(String slug) {
    return cached(bySlug, slug, loadBySlug);
  }

  /**
   * Call after changing a tenant (created, suspended, resumed, ...): evicts it here and tells every node, which
   * evicts it within milliseconds; the TTL only covers a notice lost in a cluster split.
   */
  public void changed(Tenant tenant) {
    evictSlug(tenant.slug());
    evict(tenant.id());
    publish(new DeliveryOptions().addHeader(TENANT_HEADER, tenant.id().toString()).addHeader(SLUG_HEADER, tenant.slug()));
  }

  /**
   * The same for changes known by id only (deleted, limits or configuration changed). Other per-tenant caches
   * listen on {@link #CHANGED_ADDRESS} and read the id from the {@link #TENANT_HEADER} header.
   */
  public void changed(UUID tenantId) {
    evict(tenantId);
    publish(new DeliveryOptions().addHeader(TENANT_HEADER, tenantId.toString()));
  }

  private void publish(DeliveryOptions notice) {
    if (eventBus != null) {
      eventBus.publish(CHANGED_ADDRESS, "changed", notice);
    }
  }

  /** Forgets one tenant on this node only: the node-by-node switch of a move (io.tenantry.relocation). */
  public void evictHere(UUID tenantId, String slug) {
    evictSlug(slug);
    evict(tenantId);
  }

  /** Forgets every cached tenant: after cluster membership changed, notices may have been missed. */
  public void evictAll() {
    generation.incrementAndGet();
    byId.clear();
    bySlug.clear();
    unknown.clear();
  }

  public int size() {
    return byId.size();
  }

  /**
   * Drops the entries past their TTL that nobody asked for again; a lookup would have reloaded them anyway. Not an
   * eviction (no generation bump): a load racing with it stays cacheable, since it brings a fresh entry.
   */
  public int purgeExpired() {
    long now = System.nanoTime();
    int before = byId.size() + bySlug.size();
    byId.values().removeIf(e -> e.expiresAt() - now <= 0 && e.tenant().isComplete());
    bySlug.values().removeIf(e -> e.expiresAt() - now <= 0 && e.tenant().isComplete());
    return before - byId.size() - bySlug.size();
  }

  public long hits() {
    return hits.sum();
  }

  public long misses() {
    return misses.sum();
  }

  private void evictSlug(String slug) {
    generation.incrementAndGet();
    bySlug.remove(slug);
    unknown.forget(slug);
  }

  private void evict(UUID id) {
    generation.incrementAndGet();
    unknown.forget(id);
    byId.remove(id);
    bySlug.values().removeIf(e -> matches(e, id)); // a slug load still in flight is not cached: the generation moved
  }

  private static boolean matches(Entry entry, UUID id) {
    Future<Optional<Tenant>> f = entry.tenant();
    return f.succeeded() && f.result().map(t -> t.id().equals(id)).orElse(false);
  }

  private <K> Future<Optional<Tenant>> cached(Map<K, Entry> index, K key, Function<K, Future<Optional<Tenant>>> load) {
    long now = System.nanoTime();
    Entry entry = index.get(key);
    if (entry != null && entry.expiresAt() - now > 0 && !entry.tenant().failed()) {
      Future<Optional<Tenant>> hit = entry.tenant();
      hits.increment();
      // A fresh completed future, not the loading one: that one belongs to the context of the request that loaded
      // it, and a listener added from another event loop would be dispatched to that loop.
      return hit.succeeded() ? Future.succeededFuture(hit.result()) : onCallersLoop(hit);
    }
    if (unknown.contains(key, now)) {
      return UNKNOWN;
    }
    misses.increment();
    long startGeneration = generation.get();
    Future<Optional<Tenant>> loading = load.apply(key);
    Entry fresh = new Entry(loading, now + ttlNanos);
    index.put(key, fresh);
    loading.onComplete(result -> {
      boolean current = generation.get() == startGeneration;
      if (result.failed() || result.result().isEmpty() || !current) {
        // Not cached: failed, unknown, or possibly stale because a change was evicted while loading.
        index.remove(key, fresh);
        if (current && result.succeeded()) {
          unknown.remember(key, System.nanoTime());
        }
      } else {
        // The loading future keeps the context of the request that started it, and through it that whole request
        // (routing context, headers, body): cache a settled future holding the tenant alone, shared by both indexes,
        // and key the slug index by the tenant's own slug, not the request's copy.
        Tenant tenant = result.result().get();
        Entry settled = new Entry(Future.succeededFuture(result.result()), fresh.expiresAt());
        if (index.remove(key, fresh)) {
          byId.put(tenant.id(), settled);
          bySlug.put(tenant.slug(), settled);
        } else {
          byId.putIfAbsent(tenant.id(), settled);
          bySlug.putIfAbsent(tenant.slug(), settled);
        }
      }
    });
    return loading;
  }

  /**
   * A pending load started by a request on another event loop, seen from this one: a future completed here, so the
   * caller's continuation stays on its own loop (its pool, its context) instead of running on the loader's.
   */
  private static <T> Future<T> onCallersLoop(Future<T> pending) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return pending;
    }
    Promise<T> here = Promise.promise();
    pending.onComplete(result -> {
      if (Vertx.currentContext() == caller) {
        here.handle(result);
      } else {
        caller.runOnContext(v -> here.handle(result));
      }
    });
    return here.future();
  }
}
