package io.tenantry.records;

import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * What a record must satisfy before it is written (a tenant's collection schema, say): succeeds with the data to
 * write or fails with a problem. Defined here so that the records package does not depend on who checks.
 */
@FunctionalInterface
public interface RecordCheck {
  RecordCheck NONE = (tenant, collection, data) -> Future.succeededFuture(data);

  Future<JsonObject> check(Tenant tenant, String collection, JsonObject data);
}
