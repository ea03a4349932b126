package io.tenantry.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** The one class that knows the SQL of platform.subtree_limits. */
public final class SubtreeStore {
  /**
   * A column for a query over platform.tenants {@code t}: the subtree_limits rows of t and its ancestors, with each
   * holder's slug, as JSON text (null when there are none). One primary-key probe per tenant of the line.
   */
  static final String LINE = "(SELECT json_agg(json_build_object('id', s.tenant_id, 'slug', h.slug, 'rate', s.rate,"
    + " 'burst', s.burst, 'child_rate', s.child_rate, 'child_burst', s.child_burst, 'cap_rate', s.cap_rate,"
    + " 'cap_burst', s.cap_burst))::text FROM platform.subtree_limits s JOIN platform.tenants h ON h.id = s.tenant_id"
    + " WHERE s.tenant_id = ANY(t.path || t.id))";
  private static final String BY_TENANT =
    "SELECT rate, burst, child_rate, child_burst, cap_rate, cap_burst FROM platform.subtree_limits WHERE tenant_id = $1";
  private static final String UPSERT = "INSERT INTO platform.subtree_limits"
    + " (tenant_id, rate, burst, child_rate, child_burst, cap_rate, cap_burst) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    + " ON CONFLICT (tenant_id) DO UPDATE SET rate = $2, burst = $3, child_rate = $4, child_burst = $5,"
    + " cap_rate = $6, cap_burst = $7, updated_at = now()";
  private static final String DELETE = "DELETE FROM platform.subtree_limits WHERE tenant_id = $1";

  private final Pool pool;

  public SubtreeStore(Pool pool) {
    this.pool = pool;
  }

  static JsonArray line(String json) {
    return json == null ? null : new JsonArray(json);
  }

  public Future<SubtreeSettings> of(UUID tenantId) {
    return pool.preparedQuery(BY_TENANT).execute(Tuple.of(tenantId))
      .map(rows -> rows.size() == 0 ? SubtreeSettings.NONE : settings(rows.iterator().next()));
  }

  /** Replaces the tenant's settings; all null removes its row. */
  public Future<Void> save(UUID tenantId, SubtreeSettings s) {
    if (s.isEmpty()) {
      return pool.preparedQuery(DELETE).execute(Tuple.of(tenantId)).mapEmpty();
    }
    Tuple row = Tuple.of(tenantId)
      .addValue(s.budget() == null ? null : s.budget().rate())
      .addValue(s.budget() == null ? null : s.budget().burst())
      .addValue(s.childCap() == null ? null : s.childCap().rate())
      .addValue(s.childCap() == null ? null : s.childCap().burst())
      .addValue(s.cap() == null ? null : s.cap().rate())
      .addValue(s.cap() == null ? null : s.cap().burst());
    return pool.preparedQuery(UPSERT).execute(row).mapEmpty();
  }

  private static SubtreeSettings settings(Row row) {
    return new SubtreeSettings(rate(row, "rate", "burst"), rate(row, "child_rate", "child_burst"),
      rate(row, "cap_rate", "cap_burst"));
  }

  private static Rate rate(Row row, String rate, String burst) {
    Integer r = row.getInteger(rate);
    Integer b = row.getInteger(burst);
    return r == null || b == null ? null : new Rate(r, b);
  }
}
