package io.tenantry.settings;

import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Each tenant's effective configuration (platform defaults, ancestors, the tenant), cached per tenant id and shared
 * by every event loop. A change is written first and then announced through {@link TenantRegistry#changed(UUID)};
 * every node sharing the event bus drops the tenant's entry when the notice arrives on
 * {@link TenantRegistry#CHANGED_ADDRESS}. The pending load itself is what is cached, so a load that began before the
 * change is dropped with it. The safety net, as for rate limits: every refresh period one query reads the values
 * behind every cached entry and drops the entries whose values changed, so a change reaches nodes the bus does not
 * (unclustered nodes, a notice lost in a split, an edit in SQL) within that period. Entries unused for a minute
 * are dropped, so memory and that query follow the active tenants.
 */
public final class EffectiveConfigCache {
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final SettingsCatalog catalog;
  private final Function<List<UUID>, Future<Map<UUID, Map<String, Object>>>> values;
  private final Ancestors ancestors;
  private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private Vertx vertx;
  private long timer = -1;

  private static final class Entry {
    final Future<Map<String, Resolved>> config;
    /** The values the entry was resolved from, by tenant id (its ancestors' and its own); null until loaded. */
    volatile Map<UUID, Map<String, Object>> from;
    volatile long usedAt;

    Entry(Future<Map<String, Resolved>> config, long usedAt) {
      this.config = config;
      this.usedAt = usedAt;
    }
  }

  private record Loaded(Map<String, Resolved> config, Map<UUID, Map<String, Object>> from) {
  }

  public EffectiveConfigCache(SettingsCatalog catalog, SettingsStore store, Ancestors ancestors) {
    this(catalog, store::ofTenants, ancestors);
  }

  /** @param values the values set on each of the given tenants, in one round trip */
  EffectiveConfigCache(SettingsCatalog catalog, Function<List<UUID>, Future<Map<UUID, Map<String, Object>>>> values,
                       Ancestors ancestors) {
    this.catalog = catalog;
    this.values = values;
    this.ancestors = ancestors;
  }

  /** Listens for change notices and starts the refresh timer. */
  public Future<Void> start(Vertx vertx, long refreshMs) {
    this.vertx = vertx;
    MessageConsumer<String> consumer = vertx.eventBus().consumer(TenantRegistry.CHANGED_ADDRESS, message -> {
      String id = message.headers().get(TenantRegistry.TENANT_HEADER);
      try {
        if (id != null) {
          evict(UUID.fromString(id));
        }
      } catch (IllegalArgumentException ignored) {
        // not a tenant id: nothing of ours to evict
      }
    });
    timer = vertx.setPeriodic(refreshMs, id -> refresh());
    return consumer.completion();
  }

  public void stop() {
    if (vertx != null && timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  public Future<Map<String, Resolved>> of(Tenant tenant) {
    long now = System.nanoTime();
    Entry entry = entries.get(tenant.id());
    if (entry != null && !entry.config.failed()) {
      entry.usedAt = now;
      return entry.config;
    }
    Future<Loaded> loading = load(tenant);
    Entry fresh = new Entry(loading.map(Loaded::config), now);
    entries.put(tenant.id(), fresh);
    loading.onComplete(result -> {
      if (result.failed()) {
        entries.remove(tenant.id(), fresh);
        return;
      }
      // The pending future's context is that of the request that loaded it, which it would keep alive with all its
      // state: a settled future of the configuration replaces it (unless an eviction dropped the entry meanwhile).
      Entry settled = new Entry(Future.succeededFuture(result.result().config()), fresh.usedAt);
      settled.from = result.result().from();
      fresh.from = settled.from;
      entries.replace(tenant.id(), fresh, settled);
    });
    return fresh.config;
  }

  public void evict(UUID tenantId) {
    entries.remove(tenantId);
  }

  /** After cluster membership changed: notices may have been missed meanwhile. */
  public void evictAll() {
    entries.clear();
  }

  int size() {
    return entries.size();
  }

  /** Drops idle entries and those whose values changed since they were loaded; one query, never overlapping. */
  Future<Void> refresh() {
    long now = System.nanoTime();
    entries.forEach((id, entry) -> {
      if (now - entry.usedAt > IDLE_NANOS) {
        entries.remove(id, entry);
      }
    });
    Set<UUID> ids = new LinkedHashSet<>();
    entries.values().forEach(entry -> {
      Map<UUID, Map<String, Object>> from = entry.from;
      if (from != null) {
        ids.addAll(from.keySet());
      }
    });
    if (ids.isEmpty() || !refreshing.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return values.apply(List.copyOf(ids))
      .onSuccess(current -> entries.forEach((id, entry) -> {
        Map<UUID, Map<String, Object>> from = entry.from;
        if (from != null && from.entrySet().stream().anyMatch(e -> !e.getValue().equals(current.get(e.getKey())))) {
          entries.remove(id, entry);
        }
      }))
      .<Void>mapEmpty()
      .recover(failed -> Future.succeededFuture()) // keeps what it has; the next period tries again
      .eventually(() -> {
        refreshing.set(false);
        return Future.succeededFuture();
      });
  }

  private Future<Loaded> load(Tenant tenant) {
    return ancestors.of(tenant).compose(above -> {
      List<UUID> ids = new ArrayList<>(above.size() + 1);
      above.forEach(a -> ids.add(a.id()));
      ids.add(tenant.id());
      return values.apply(ids).map(set -> {
        List<Level> levels = new ArrayList<>(ids.size());
        above.forEach(a -> levels.add(new Level(a.slug(), set.get(a.id()))));
        levels.add(new Level(Resolved.TENANT, set.get(tenant.id())));
        return new Loaded(ConfigResolver.resolve(catalog, levels), Map.copyOf(set));
      });
    });
  }
}
