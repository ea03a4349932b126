package io.tenantry.tenant;

import io.vertx.core.Future;
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
 * tenant id in a header) so other nodes evict too; the TTL is only a safety net. Unknown tenants are not
 * cached, so random slugs cannot fill memory.
 */
public final class TenantRegistry {
  public static final String CHANGED_ADDRESS = "tenantry.tenant.changed";
  public static final String TENANT_HEADER = "tenant-id";

  private record Entry(Future<Optional<Tenant>> tenant, long expiresAt) {
  }

  private final Function<UUID, Future<Optional<Tenant>>> loadById;
  private final Function<String, Future<Optional<Tenant>>> loadBySlug;
  private final long ttlNanos;
  private final Map<UUID, Entry> byId = new ConcurrentHashMap<>();
  private final Map<String, Entry> bySlug = new ConcurrentHashMap<>();
  /** Bumped by every eviction; a load that raced with one is not cached. */
  private final AtomicLong generation = new AtomicLong();
  private EventBus eventBus;

  public TenantRegistry(TenantStore store, int ttlSeconds) {
    // made once: a lookup that hits the cache allocates no loader
    this.loadById = store::byId;
    this.loadBySlug = store::bySlug;
    this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
  }

  /** Starts evicting on change notices from any node. */
  public Future<Void> listen(EventBus eventBus) {
    this.eventBus = eventBus;
    MessageConsumer<String> consumer = eventBus.consumer(CHANGED_ADDRESS, message -> {
      UUID id = tenantId(message.headers().get(TENANT_HEADER));
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
    bySlug.remove(tenant.slug());
    changed(tenant.id());
  }

  /**
   * The same for changes known by id only (deleted, limits or configuration changed). Other per-tenant caches
   * listen on {@link #CHANGED_ADDRESS} and read the id from the {@link #TENANT_HEADER} header.
   */
  public void changed(UUID tenantId) {
    evict(tenantId);
    if (eventBus != null) {
      eventBus.publish(CHANGED_ADDRESS, "changed", new DeliveryOptions().addHeader(TENANT_HEADER, tenantId.toString()));
    }
  }

  /** Forgets every cached tenant: after cluster membership changed, notices may have been missed. */
  public void evictAll() {
    generation.incrementAndGet();
    byId.clear();
    bySlug.clear();
  }

  public int size() {
    return byId.size();
  }

  private void evict(UUID id) {
    generation.incrementAndGet();
    Entry entry = byId.remove(id);
    bySlug.values().removeIf(e -> e == entry || matches(e, id));
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
      // A fresh completed future, not the loading one: that one belongs to the context of the request that loaded
      // it, and a listener added from another event loop would be dispatched to that loop — moving the rest of
      // this request (validation, handler, database call) onto another thread and back.
      return hit.succeeded() ? Future.succeededFuture(hit.result()) : hit;
    }
    long startGeneration = generation.get();
    Future<Optional<Tenant>> loading = load.apply(key);
    Entry fresh = new Entry(loading, now + ttlNanos);
    index.put(key, fresh);
    loading.onComplete(result -> {
      if (result.failed() || result.result().isEmpty() || generation.get() != startGeneration) {
        // Not cached: unknown, failed, or possibly stale because a change was evicted while loading.
        index.remove(key, fresh);
      } else {
        Tenant tenant = result.result().get();
        byId.putIfAbsent(tenant.id(), fresh);
        bySlug.putIfAbsent(tenant.slug(), fresh);
      }
    });
    return loading;
  }
}
