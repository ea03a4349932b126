package io.tenantry.relocation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One move as platform.relocation_jobs records it. */
record RelocationJob(UUID id, UUID tenantId, String node, String from, String to, String phase, boolean cancel,
                     long rowsCopied, long rowsCaughtUp, Integer pauseMs, String error, OffsetDateTime createdAt,
                     OffsetDateTime switchedAt, OffsetDateTime finishedAt) {
  static final String COLUMNS = "id, tenant_id, node, from_tier, from_host, from_port, from_name, to_tier, to_host, "
    + "to_port, to_name, phase, cancel, rows_copied, rows_caught_up, pause_ms, error, created_at, switched_at, finished_at";

  static RelocationJob from(Row r) {
    return new RelocationJob(r.getUUID("id"), r.getUUID("tenant_id"), r.getString("node"),
      place(r.getString("from_tier"), r.getString("from_host"), r.getInteger("from_port"), r.getString("from_name")),
      place(r.getString("to_tier"), r.getString("to_host"), r.getInteger("to_port"), r.getString("to_name")),
      r.getString("phase"), r.getBoolean("cancel"), r.getLong("rows_copied"), r.getLong("rows_caught_up"),
      r.getInteger("pause_ms"), r.getString("error"), r.getOffsetDateTime("created_at"),
      r.getOffsetDateTime("switched_at"), r.getOffsetDateTime("finished_at"));
  }

  private static String place(String tier, String host, Integer port, String name) {
    return host == null ? tier : tier + " " + host + ":" + port + "/" + name;
  }

  JsonObject toJson(String slug) {
    return new JsonObject().put("id", id.toString()).put("tenant", slug).put("from", from).put("to", to)
      .put("phase", phase).put("cancel_requested", cancel).put("rows_copied", rowsCopied)
      .put("rows_caught_up", rowsCaughtUp).put("write_pause_ms", pauseMs).put("error", error).put("node", node)
      .put("created_at", createdAt == null ? null : createdAt.toString())
      .put("switched_at", switchedAt == null ? null : switchedAt.toString())
      .put("finished_at", finishedAt == null ? null : finishedAt.toString());
  }
}
