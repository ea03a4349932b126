package io.tenantry.export;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** An export job as platform.export_jobs holds it. */
public record ExportJob(UUID id, UUID tenantId, String state, String node, int partsDone, long records, Long bytes,
                        String sha256, String error, OffsetDateTime createdAt, OffsetDateTime finishedAt,
                        OffsetDateTime expiresAt) {
  static final String COLUMNS =
    "id, tenant_id, state, node, parts_done, records, bytes, sha256, error, created_at, finished_at, expires_at";

  static ExportJob from(Row row) {
    return new ExportJob(row.getUUID("id"), row.getUUID("tenant_id"), row.getString("state"), row.getString("node"),
      row.getInteger("parts_done"), row.getLong("records"), row.getLong("bytes"), row.getString("sha256"),
      row.getString("error"), row.getOffsetDateTime("created_at"), row.getOffsetDateTime("finished_at"),
      row.getOffsetDateTime("expires_at"));
  }

  boolean done() {
    return "done".equals(state);
  }

  JsonObject toJson(String slug) {
    JsonObject json = new JsonObject()
      .put("id", id.toString())
      .put("tenant", slug)
      .put("state", state)
      .put("parts_done", partsDone)
      .put("records", records)
      .put("created_at", createdAt.toInstant().toString());
    if (bytes != null) {
      json.put("bytes", bytes);
    }
    if (sha256 != null) {
      json.put("sha256", sha256);
    }
    if (error != null) {
      json.put("error", error);
    }
    if (finishedAt != null) {
      json.put("finished_at", finishedAt.toInstant().toString());
    }
    if (expiresAt != null) {
      json.put("expires_at", expiresAt.toInstant().toString());
    }
    if (done()) {
      json.put("bundle", "/admin/v1/tenants/" + slug + "/exports/" + id + "/bundle");
    }
    return json;
  }
}
