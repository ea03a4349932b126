package io.tenantry.settings;

import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Each tenant's effective configuration (platform defaults, ancestors, the tenant), cached per tenant id and shared
 * by every event loop. A change is written first and then announced through {@link TenantRegistry#changed(UUID)};
 * every node, this one included, drops the tenant's entry when the notice arrives on
 * {@link TenantRegistry#CHANGED_ADDRESS}. The pending load itself is what is cached, so a load that began before the
 * change is dropped with it. The TTL bounds staleness only when a notice is lost (a split cluster).
 */
public final class EffectiveConfigCache {
  private final SettingsCatalog catalog;
  private final Function<List<UUID>, Future<Map<UUID, Map<String, Object>>>> values;
  private final Ancestors ancestors;
  private final long ttlNanos;
  private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

  private record Entry(Future<Map<String, Resolved>> config, long loadedAt) {
  }

  public EffectiveConfigCache(SettingsCatalog catalog, SettingsStore store, Ancestors ancestors, int ttlSeconds) {
    this(catalog, store::ofTenants, ancestors, ttlSeconds);
  }

  /** @param values the values set on each of the given tenants, in one round trip */
  EffectiveConfigCache(SettingsCatalog catalog, Function<List<UUID>, Future<Map<UUID, Map<String, Object>>>> values,
                       Ancestors ancestors, int ttlSeconds) {
    this.catalog = catalog;
    this.values = values;
    this.ancestors = ancestors;
    this.ttlNanos = TimeUnit.SECONDS.toNanos(ttlSeconds);
  }

  public Future<Void> listen(EventBus eventBus) {
    MessageConsumer<String> consumer = eventBus.consumer(TenantRegistry.CHANGED_ADDRESS, message -> {
      String id = message.headers().get(TenantRegistry.TENANT_HEADER);
      try {
        if (id != null) {
          evict(UUID.fromString(id));
        }
      } catch (IllegalArgumentException ignored) {
        // not a tenant id: nothing of ours to evict
      }
    });
    return consumer.completion();
  }

  public Future<Map<String, Resolved>> of(Tenant tenant) {
    long now = System.nanoTime();
    Entry entry = entries.get(tenant.id());
    if (entry != null && now - entry.loadedAt() < ttlNanos && !entry.config().failed()) {
      return entry.config();
    }
    Entry fresh = new Entry(load(tenant), now);
    entries.put(tenant.id(), fresh);
    fresh.config().onFailure(e -> entries.remove(tenant.id(), fresh));
    return fresh.config();
  }

  public void evict(UUID tenantId) {
    entries.remove(tenantId);
  }

  /** After cluster membership changed: notices may have been missed meanwhile. */
  public void evictAll() {
    entries.clear();
  }

  private Future<Map<String, Resolved>> load(Tenant tenant) {
    return ancestors.of(tenant).compose(above -> {
      List<UUID> ids = new ArrayList<>(above.size() + 1);
      above.forEach(a -> ids.add(a.id()));
      ids.add(tenant.id());
      return values.apply(ids).map(set -> {
        List<Level> levels = new ArrayList<>(ids.size());
        above.forEach(a -> levels.add(new Level(a.slug(), set.get(a.id()))));
        levels.add(new Level(Resolved.TENANT, set.get(tenant.id())));
        return ConfigResolver.resolve(catalog, levels);
      });
    });
  }
}
