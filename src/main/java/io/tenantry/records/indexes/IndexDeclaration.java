package io.tenantry.records.indexes;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A declared collection index and where its build stands: building, ready, failed (with why) or dropping. */
public record IndexDeclaration(UUID tenantId, String collection, String name, String field, String indexName,
                               String status, String error, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  static final String COLUMNS = "tenant_id, collection, name, field, index_name, status, error, created_at, updated_at";

  static IndexDeclaration from(Row row) {
    return new IndexDeclaration(row.getUUID("tenant_id"), row.getString("collection"), row.getString("name"),
      row.getString("field"), row.getString("index_name"), row.getString("status"), row.getString("error"),
      row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("collection", collection).put("name", name).put("field", field)
      .put("status", status).put("error", error)
      .put("created_at", createdAt.toInstant().toString()).put("updated_at", updatedAt.toInstant().toString());
  }
}
