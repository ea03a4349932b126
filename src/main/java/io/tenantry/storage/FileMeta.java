package io.tenantry.storage;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A file's metadata row: what the API shows, plus the blob holding its bytes (never shown). */
public record FileMeta(String path, String blob, long size, String contentType, String sha256, UUID uploader,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt) {
  static final String COLUMNS = "path, blob, size, content_type, sha256, uploader, created_at, updated_at";

  static FileMeta from(Row row) {
    return new FileMeta(row.getString("path"), row.getString("blob"), row.getLong("size"), row.getString("content_type"),
      row.getString("sha256"), row.getUUID("uploader"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("updated_at"));
  }

  /** Strong: the content's own hash, so equal bytes have equal ETags. */
  public String etag() {
    return "\"" + sha256 + "\"";
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("path", path)
      .put("size", size)
      .put("content_type", contentType)
      .put("sha256", sha256)
      .put("etag", etag())
      .put("uploader", uploader == null ? null : uploader.toString())
      .put("created_at", createdAt.toInstant().toString())
      .put("updated_at", updatedAt.toInstant().toString());
  }
}
