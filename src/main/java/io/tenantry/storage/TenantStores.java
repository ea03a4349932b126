package io.tenantry.storage;

import io.tenantry.http.Problem;
import io.tenantry.settings.EffectiveConfigCache;
import io.tenantry.settings.Resolved;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The configured blob stores by name ("local", "s3", and each of storage.stores) and which one a tenant writes to:
 * its storage.store setting (the tenant's, else an ancestor's), empty meaning storage.backend. A tenant's files
 * written before its setting changed stay where they are: reads and copies try the tenant's store first and then
 * the others, on a missing blob only; deletes and purges go to every store. With one store configured none of this
 * costs anything.
 */
final class TenantStores {
  static final String SETTING = "storage.store";

  /** A store, and the only tenants (slugs) that may write to it; empty: any. */
  record Named(String name, BlobStore store, Set<String> tenants) {
  }

  private final Map<String, Named> stores = new LinkedHashMap<>();
  private final String defaultName;
  private final EffectiveConfigCache settings;

  /** @param settings the tenants' effective settings; null when only the default store is to be used */
  TenantStores(List<Named> stores, String defaultName, EffectiveConfigCache settings) {
    stores.forEach(s -> this.stores.put(s.name(), s));
    if (!this.stores.containsKey(defaultName)) {
      throw new IllegalArgumentException("the default store " + defaultName + " is not configured");
    }
    this.defaultName = defaultName;
    this.settings = settings;
  }

  BlobStore store(String name) {
    return stores.get(name).store();
  }

  /** The name of the store the tenant's new blobs go to; a problem when its setting names none it may use. */
  Future<String> storeOf(Tenant tenant) {
    if (stores.size() == 1 || settings == null) {
      return Future.succeededFuture(defaultName);
    }
    return settings.of(tenant).map(config -> {
      Resolved chosen = config.get(SETTING);
      String name = chosen == null || !(chosen.value() instanceof String s) || s.isEmpty() ? defaultName : s;
      Named store = stores.get(name);
      if (store == null) {
        throw Problem.conflict("the tenant's " + SETTING + " setting names no configured store ('" + name
          + "'; configured: " + String.join(", ", stores.keySet()) + ")");
      }
      if (!store.tenants().isEmpty() && !store.tenants().contains(tenant.slug())) {
        throw Problem.conflict("the store '" + name + "' (the tenant's " + SETTING + ") is not open to this tenant");
      }
      return name;
    });
  }

  Future<BlobStore.Written> write(Tenant tenant, String blob, ReadStream<Buffer> body, long length, long maxBytes) {
    return storeOf(tenant).compose(name -> stores.get(name).store().write(tenant.id(), blob, body, length, maxBytes));
  }

  Future<Void> send(Tenant tenant, String blob, long offset, long length, HttpServerResponse response) {
    return firstHolding(tenant, store -> store.send(tenant.id(), blob, offset, length, response));
  }

  Future<Void> copy(Tenant tenant, String from, String to) {
    return firstHolding(tenant, store -> store.copy(tenant.id(), from, to));
  }

  /** Removes the blob from every store (it is in one at most; a missing blob is no error). */
  Future<Void> delete(UUID tenant, String blob) {
    return everywhere(store -> store.delete(tenant, blob));
  }

  Future<Void> deleteTenant(UUID tenant) {
    return everywhere(store -> store.deleteTenant(tenant));
  }

  private Future<Void> everywhere(Function<BlobStore, Future<Void>> action) {
    if (stores.size() == 1) {
      return action.apply(stores.get(defaultName).store());
    }
    List<Future<Void>> all = new ArrayList<>();
    stores.values().forEach(s -> all.add(action.apply(s.store())));
    return Future.all(all).mapEmpty();
  }

  /**
   * The action on the tenant's own store, then on each other store while the blob is missing. A store answers
   * "missing" before it writes a byte to the client (BlobMissing), so trying the next one is safe.
   */
  private Future<Void> firstHolding(Tenant tenant, Function<BlobStore, Future<Void>> action) {
    Future<String> own = stores.size() == 1 ? Future.succeededFuture(defaultName)
      : storeOf(tenant).recover(refused -> Future.succeededFuture(defaultName));
    return own.compose(name -> {
      List<BlobStore> order = new ArrayList<>();
      order.add(stores.get(name).store());
      stores.values().forEach(s -> {
        if (!s.name().equals(name)) {
          order.add(s.store());
        }
      });
      return attempt(order, 0, action);
    });
  }

  private static Future<Void> attempt(List<BlobStore> order, int i, Function<BlobStore, Future<Void>> action) {
    return action.apply(order.get(i)).recover(e -> e instanceof BlobMissing && i + 1 < order.size()
      ? attempt(order, i + 1, action) : Future.failedFuture(e));
  }

  /**
   * The stores as one {@link BlobStore} addressed by tenant id, for tenant bundles: a read (export) tries the
   * default store, then each other while the blob is missing; a write (import) goes to the default store (the
   * imported tenant's own {@value #SETTING} applies to the files written after); removals reach every store.
   */
  BlobStore byTenantId() {
    return new BlobStore() {
      @Override
      public Future<Written> write(UUID tenant, String blob, ReadStream<Buffer> body, long length, long maxBytes) {
        return stores.get(defaultName).store().write(tenant, blob, body, length, maxBytes);
      }

      @Override
      public Future<Void> readInto(UUID tenant, String blob, long offset, long length, WriteStream<Buffer> to) {
        return attempt(inOrder(), 0, store -> store.readInto(tenant, blob, offset, length, to));
      }

      @Override
      public Future<Void> copy(UUID tenant, String from, String to) {
        return attempt(inOrder(), 0, store -> store.copy(tenant, from, to));
      }

      @Override
      public Future<Void> delete(UUID tenant, String blob) {
        return TenantStores.this.delete(tenant, blob);
      }

      @Override
      public Future<Void> deleteTenant(UUID tenant) {
        return TenantStores.this.deleteTenant(tenant);
      }
    };
  }

  private List<BlobStore> inOrder() {
    List<BlobStore> order = new ArrayList<>();
    order.add(stores.get(defaultName).store());
    stores.values().forEach(s -> {
      if (!s.name().equals(defaultName)) {
        order.add(s.store());
      }
    });
    return order;
  }
}
