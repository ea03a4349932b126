package io.tenantry.colschema;

import io.tenantry.records.RecordCheck;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The record check of collection schemas, with the compiled schemas of this node. A tenant that never declared a
 * schema ({@link Tenant#collectionSchemas()} is 0, read with the cached tenant) costs one field read. Otherwise the
 * compiled schema is looked up by tenant and collection in a bounded LRU ({@link #MAX_ENTRIES}, absent schemas
 * included); an entry is used only while it is at least as new as the tenant's number, which every change bumps
 * and announces (TenantRegistry), so a change is in force on every node as soon as the node has the new tenant.
 * A miss reads the one schema (one platform statement) and compiles it; both only for tenants that use schemas.
 *
 * <p>Validation runs on a worker pool of its own, not on the event loop: a schema is the tenant's code (its
 * {@code pattern}s are regular expressions run by java.util.regex, which can backtrack for a long time on a
 * crafted string) and a record may be up to http.body-limit, so its cost is not bounded tightly enough to be
 * paid on a loop that serves every tenant.
 */
public final class CompiledSchemas implements RecordCheck {
  static final int MAX_ENTRIES = 2_000;

  /** {@code validator} null: the collection has no schema. */
  private record Entry(long version, Validator validator) {
  }

  private final Map<String, Entry> cache = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
      return size() > MAX_ENTRIES;
    }
  });
  private final CollectionSchemaStore store;
  private final SchemaCompiler compiler;
  private final WorkerExecutor workers;

  CompiledSchemas(CollectionSchemaStore store, SchemaCompiler compiler, WorkerExecutor workers) {
    this.store = store;
    this.compiler = compiler;
    this.workers = workers;
  }

  @Override
  public Future<JsonObject> check(Tenant tenant, String collection, JsonObject data) {
    long version = tenant.collectionSchemas();
    if (version == 0) {
      return Future.succeededFuture(data);
    }
    String key = key(tenant.id(), collection);
    Entry entry = cache.get(key);
    Future<Entry> current = entry != null && entry.version() >= version ? Future.succeededFuture(entry)
      : load(tenant, collection, key, version);
    return current.compose(found -> found.validator() == null ? Future.succeededFuture(data)
      : validate(found.validator(), data).compose(output -> Boolean.TRUE.equals(output.getValid())
        ? Future.succeededFuture(data)
        : Future.failedFuture(ValidationErrors.invalidRecord(collection, output))));
  }

  /** Runs the validator on the schema workers. */
  Future<OutputUnit> validate(Validator validator, JsonObject data) {
    return workers.executeBlocking(() -> validator.validate(data), false);
  }

  /** Compiles on the schema workers; fails with a 422 problem when the schema is not acceptable. */
  Future<Validator> compile(JsonObject schema) {
    return workers.executeBlocking(() -> compiler.compile(schema), false);
  }

  /** Forgets a tenant's compiled schemas (its number moved on anyway: this only frees the memory sooner). */
  void evict(UUID tenantId) {
    String prefix = tenantId + "/";
    synchronized (cache) {
      cache.keySet().removeIf(key -> key.startsWith(prefix));
    }
  }

  /** Evicts on every tenant change notice, from any node. */
  Future<Void> listen(EventBus eventBus) {
    return eventBus.<String>consumer(TenantRegistry.CHANGED_ADDRESS, message -> {
      String id = message.headers().get(TenantRegistry.TENANT_HEADER);
      try {
        if (id != null) {
          evict(UUID.fromString(id));
        }
      } catch (IllegalArgumentException ignored) {
        // not a tenant id: nothing of ours to forget
      }
    }).completion();
  }

  int size() {
    return cache.size();
  }

  private Future<Entry> load(Tenant tenant, String collection, String key, long version) {
    return store.get(tenant.id(), collection)
      .compose(declared -> declared.isEmpty() ? Future.succeededFuture(new Entry(version, null))
        : compile(declared.get().schema()).map(validator -> new Entry(version, validator)))
      .onSuccess(entry -> cache.put(key, entry));
  }

  private static String key(UUID tenantId, String collection) {
    return tenantId + "/" + collection;
  }
}
