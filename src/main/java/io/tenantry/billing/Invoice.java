package io.tenantry.billing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A stored invoice or credit note, with its lines when read one at a time. */
public record Invoice(UUID id, UUID tenantId, String tenant, String kind, String status, Instant periodStart,
                      Instant periodEnd, String currency, long total, UUID corrects, String reason, Instant finalizedAt,
                      List<InvoiceLine> lines) {

  static Invoice from(Row row, String slug, List<InvoiceLine> lines) {
    OffsetDateTime finalized = row.getOffsetDateTime("finalized_at");
    return new Invoice(row.getUUID("id"), row.getUUID("tenant_id"), slug, row.getString("kind"), row.getString("status"),
      row.getOffsetDateTime("period_start").toInstant(), row.getOffsetDateTime("period_end").toInstant(),
      row.getString("currency"), row.getLong("total"), row.getUUID("corrects"), row.getString("reason"),
      finalized == null ? null : finalized.toInstant(), lines);
  }

  public boolean finalized() {
    return "finalized".equals(status);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("tenant", tenant).put("kind", kind)
      .put("status", status).put("period_start", periodStart.toString()).put("period_end", periodEnd.toString())
      .put("currency", currency).put("total", total).put("corrects", corrects == null ? null : corrects.toString())
      .put("reason", reason).put("finalized_at", finalizedAt == null ? null : finalizedAt.toString());
    if (lines != null) {
      JsonArray out = new JsonArray();
      for (int i = 0; i < lines.size(); i++) {
        out.add(lines.get(i).toJson(i + 1));
      }
      json.put("lines", out);
    }
    return json;
  }
}
