package io.tenantry.colschema;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.util.UUID;

/**
 * Collection schemas from outside a request (tenant templates and provisioning): checks a schema as a PUT of it
 * would, checks seed records against it, and declares it for a tenant. Compiling and validating run on the schema
 * workers, never on an event loop.
 */
public final class SchemaSeeding {
  private final CollectionSchemaStore store;
  private final CompiledSchemas compiled;

  SchemaSeeding(CollectionSchemaStore store, CompiledSchemas compiled) {
    this.store = store;
    this.compiled = compiled;
  }

  /** Fails with the 422 problem a PUT of this schema would get. */
  public Future<Validator> compile(JsonObject schema) {
    return compiled.compile(schema);
  }

  /** Null when {@code record} matches; else "pointer: what" for its first error. */
  public Future<String> check(Validator validator, JsonObject record) {
    return compiled.validate(validator, record).map(unit -> {
      if (Boolean.TRUE.equals(unit.getValid())) {
        return null;
      }
      for (OutputUnit error : ValidationErrors.leaves(unit)) {
        String where = ValidationErrors.pointer(error.getInstanceLocation());
        return (where.isEmpty() ? "(the record)" : where) + ": " + error.getError();
      }
      return "(the record): does not match the schema";
    });
  }

  /** Declares (or re-declares: idempotent) the collection's schema for the tenant, as PUT ?force=true would. */
  public Future<Void> declare(UUID tenantId, String collection, JsonObject schema) {
    return compiled.compile(schema)
      .compose(validator -> store.put(tenantId, collection, schema))
      .onSuccess(saved -> compiled.evict(tenantId))
      .mapEmpty();
  }
}
