package io.tenantry.records;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored JSON document and its metadata. The metadata is never taken from the client's body. */
public record Record(UUID id, String collection, long version, JsonObject data,
                     OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  /**
   * The columns every statement that gives records back selects, read by {@link #from}. The document comes as text
   * and is decoded here, not by the driver: the driver decodes jsonb inside its network handler, where a document
   * Jackson cannot read (nested beyond its limit of 1000, stored by other means than this API) closes the
   * connection and fails every command pipelined on it, other tenants' included.
   */
  public static final String COLUMNS = "id, version, data::text AS data, created_at, updated_at";

  /**
   * @throws IllegalStateException when the stored document cannot be decoded: the server's failure (a 500), never
   *                               the DecodeException that would read as a malformed request
   */
  public static Record from(Row row, String collection) {
    return new Record(row.getUUID("id"), collection, row.getLong("version"), document(row.getString("data")),
      row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  private static JsonObject document(String stored) {
    try {
      return new JsonObject(stored);
    } catch (DecodeException e) {
      throw new IllegalStateException("a stored record cannot be decoded", e);
    }
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
