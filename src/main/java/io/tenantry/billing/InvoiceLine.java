package io.tenantry.billing;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A line of an invoice: for one tenant (the payer or one it pays for), {@code quantity × unitPrice = amount}. */
public record InvoiceLine(UUID tenantId, String tenant, String meter, String description, long quantity, long unitPrice,
                          long amount) {
  public JsonObject toJson(int position) {
    return new JsonObject().put("position", position).put("tenant", tenant).put("tenant_id", tenantId.toString())
      .put("meter", meter).put("description", description).put("quantity", quantity).put("unit_price", unitPrice)
      .put("amount", amount);
  }
}
