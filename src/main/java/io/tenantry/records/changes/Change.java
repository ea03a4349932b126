package io.tenantry.records.changes;

import io.tenantry.records.Record;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One change of a record: what was done ({@code create}, {@code update}, {@code delete}), when its transaction
 * began, the record's id, and for a create or update the record as it is now (its latest version: a later change of
 * the same record follows in the feed; null once the record is deleted, and its delete follows).
 */
record Change(ChangeToken token, String op, UUID id, OffsetDateTime at, Record record) {
  JsonObject toJson() {
    JsonObject json = new JsonObject().put("token", token.toString()).put("op", op).put("id", id.toString())
      .put("at", at.toInstant().toString());
    if (!"delete".equals(op)) {
      json.put("record", record == null ? null : record.toJson());
    }
    return json;
  }
}
