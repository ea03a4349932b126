package io.tenantry.metering;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads stored usage: per tenant, meter and hour or day, and a tenant's subtree. */
public final class UsageQuery {
  /** The tenant and every tenant below it (its path holds its ancestors' ids). */
  private static final String SUBTREE = """
    SELECT id, slug FROM platform.tenants WHERE id = $1 OR path @> ARRAY[$1]::uuid[] ORDER BY slug""";
  private static final String ALL = "SELECT id, slug FROM platform.tenants ORDER BY slug";
  private static final String[] GAUGES = java.util.Arrays.stream(Meter.values())
    .filter(m -> m.kind == Meter.Kind.GAUGE).map(Meter::id).toArray(String[]::new);

  public record Usage(UUID tenantId, Meter meter, Instant bucket, long quantity) {
  }

  private final Pool pool;

  public UsageQuery(Pool pool) {
    this.pool = pool;
  }

  /** Slugs by id of the tenant and its descendants (or just the tenant). */
  public Future<Map<UUID, String>> tenants(UUID tenantId, boolean subtree) {
    if (!subtree) {
      return pool.preparedQuery("SELECT id, slug FROM platform.tenants WHERE id = $1").execute(Tuple.of(tenantId))
        .map(UsageQuery::slugs);
    }
    return pool.preparedQuery(SUBTREE).execute(Tuple.of(tenantId)).map(UsageQuery::slugs);
  }

  public Future<Map<UUID, String>> allTenants() {
    return pool.query(ALL).execute().map(UsageQuery::slugs);
  }

  private static Map<UUID, String> slugs(Iterable<Row> rows) {
    Map<UUID, String> out = new java.util.LinkedHashMap<>();
    rows.forEach(row -> out.put(row.getUUID("id"), row.getString("slug")));
    return out;
  }

  /** @param granularity "hour" or "day" */
  public Future<List<Usage>> usage(List<UUID> tenants, Instant from, Instant to, String granularity) {
    return pool.preparedQuery(UsageSql.USAGE).execute(Tuple.of(tenants.toArray(UUID[]::new),
        from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC), granularity, GAUGES))
      .map(rows -> {
        List<Usage> out = new ArrayList<>();
        for (Row row : rows) {
          out.add(new Usage(row.getUUID("tenant_id"), Meter.parse(row.getString("meter")),
            row.getOffsetDateTime("bucket").toInstant(), row.getLong("quantity")));
        }
        return out;
      });
  }

  public static JsonObject json(Usage usage, Map<UUID, String> slugs) {
    return new JsonObject().put("tenant", slugs.get(usage.tenantId())).put("tenant_id", usage.tenantId().toString())
      .put("start", usage.bucket().toString()).put("meter", usage.meter().id()).put("quantity", usage.quantity());
  }

  public static JsonArray json(List<Usage> usage, Map<UUID, String> slugs) {
    JsonArray out = new JsonArray();
    usage.forEach(u -> out.add(json(u, slugs)));
    return out;
  }
}
