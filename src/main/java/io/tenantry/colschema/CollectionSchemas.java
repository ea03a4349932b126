package io.tenantry.colschema;

import io.tenantry.data.TenantDb;
import io.tenantry.records.RecordCheck;
import io.tenantry.records.RecordStore;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;

/** The collection-schemas capability, wired once at boot: its routes and the check record writes go through. */
public final class CollectionSchemas {
  /** Threads that compile schemas and validate records; a slow tenant schema occupies these, never an event loop. */
  static final int WORKERS = 2;

  private final CompiledSchemas compiled;
  private final CollectionSchemaEndpoints endpoints;
  private final WorkerExecutor workers;
  private final SchemaSeeding seeding;

  private CollectionSchemas(CompiledSchemas compiled, CollectionSchemaEndpoints endpoints, WorkerExecutor workers,
                            SchemaSeeding seeding) {
    this.seeding = seeding;
    this.compiled = compiled;
    this.endpoints = endpoints;
    this.workers = workers;
  }

  /** Reads the bundled meta-schemas (blocking): call at boot, off any event loop. */
  public static CollectionSchemas create(Vertx vertx, Pool platformPool, TenantStore tenants, TenantRegistry registry,
                                         TenantDb db, RecordStore records) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("tenantry-collection-schemas", WORKERS, 30, TimeUnit.SECONDS);
    CollectionSchemaStore store = new CollectionSchemaStore(platformPool);
    CompiledSchemas compiled = new CompiledSchemas(store, new SchemaCompiler(vertx.fileSystem()), workers);
    return new CollectionSchemas(compiled, new CollectionSchemaEndpoints(tenants, registry, store, compiled,
      new ExistingRecords(db, records, workers)), workers, new SchemaSeeding(store, compiled));
  }

  public Future<Void> listen(Vertx vertx) {
    return compiled.listen(vertx.eventBus());
  }

  public RecordCheck check() {
    return compiled;
  }

  public CollectionSchemaEndpoints endpoints() {
    return endpoints;
  }

  /** Schemas declared by templates and provisioning rather than by the routes. */
  public SchemaSeeding seeding() {
    return seeding;
  }

  public Future<Void> close() {
    return workers.close();
  }
}
