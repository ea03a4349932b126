package io.tenantry.records;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored JSON document and its metadata. The metadata is never taken from the client's body. */
public record Record(UUID id, String collection, long version, JsonObject data,
                     OffsetDateTime createdAt, OffsetDateTime updatedAt) {

  static Record from(Row row, String collection) {
    return new Record(row.getUUID("id"), collection, row.getLong("version"), (JsonObject) row.getValue("data"),
      row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  public String etag() {
    return "\"" + version + "\"";
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("collection", collection)
      .put("version", version)
      .put("created_at", createdAt.toInstant().toString())
      .put("updated_at", updatedAt.toInstant().toString())
      .put("data", data);
  }
}
