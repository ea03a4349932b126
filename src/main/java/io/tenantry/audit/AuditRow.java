package io.tenantry.audit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A stored audit entry as read back ({@link AuditSql#COLUMNS}), its JSON and the canonical form the chain hashes. */
record AuditRow(UUID tenantId, UUID id, OffsetDateTime at, UUID actorUser, UUID actorKey, UUID impersonator,
                String action, String target, String outcome, Integer status, String requestId, String clientAddress,
                String detail) {

  static AuditRow from(Row row) {
    return new AuditRow(row.getUUID("tenant_id"), row.getUUID("id"), row.getOffsetDateTime("at"),
      row.getUUID("actor_user"), row.getUUID("actor_key"), row.getUUID("impersonator"), row.getString("action"),
      row.getString("target"), row.getString("outcome"), row.getInteger("status"), row.getString("request_id"),
      row.getString("client_address"), row.getString("detail_text"));
  }

  /**
   * Every stored field, in a fixed order, as a JSON array: no delimiter ambiguity, and the time as epoch
   * microseconds (PostgreSQL's precision), independent of the session's time zone. jsonb's text form is already
   * normalized, so the detail hashes the same however it was written.
   */
  byte[] canonical() {
    Instant instant = at.toInstant();
    long micros = instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    return new JsonArray().add(text(tenantId)).add(text(id)).add(micros).add(text(actorUser)).add(text(actorKey))
      .add(text(impersonator)).add(action).add(target).add(outcome).add(status).add(requestId).add(clientAddress)
      .add(detail).encode().getBytes(StandardCharsets.UTF_8);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id.toString())
      .put("time", at.toInstant().toString())
      .put("tenant_id", text(tenantId))
      .put("actor", new JsonObject().put("user_id", text(actorUser)).put("key_id", text(actorKey))
        .put("impersonator", text(impersonator)))
      .put("action", action)
      .put("target", target)
      .put("outcome", outcome)
      .put("status", status)
      .put("request_id", requestId)
      .put("client_address", clientAddress);
    if (detail != null) {
      json.put("detail", new JsonObject(detail));
    }
    return json;
  }

  private static String text(UUID id) {
    return id == null ? null : id.toString();
  }
}
