package io.tenantry.tenant;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.regex.Pattern;

/** A tenant as the platform schema holds it. Immutable; a change produces a new instance. */
public record Tenant(UUID id, String slug, String name, Status status, String isolation, OffsetDateTime createdAt) {
  public static final Pattern SLUG = Pattern.compile("[a-z0-9-]{3,63}");
  private static final String KEY = "tenant";

  public enum Status {
    ACTIVE, SUSPENDED;

    public String sql() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  static Tenant from(Row row) {
    return new Tenant(row.getUUID("id"), row.getString("slug"), row.getString("name"),
      Status.valueOf(row.getString("status").toUpperCase(java.util.Locale.ROOT)),
      row.getString("isolation"), row.getOffsetDateTime("created_at"));
  }

  public boolean active() {
    return status == Status.ACTIVE;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("id", id.toString())
      .put("slug", slug)
      .put("name", name)
      .put("status", status.sql())
      .put("isolation", isolation)
      .put("created_at", createdAt.toInstant().toString());
  }

  public void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /** The tenant a request was resolved to (set by {@link TenantResolution}). */
  public static Tenant of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
