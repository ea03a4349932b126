package io.tenantry.tenant;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The SQL of a super-admin's tenant search over platform.tenants: a page in id (creation) order and the counts by
 * state, tier and plan, both narrowed by one {@link TenantFilter}. Only the filters given become conditions (each
 * combination is its own cached statement, so each gets a plan that uses its index: V42).
 */
public final class TenantSearch {
  /** A tenant found, with the plan it is on. */
  public record Found(Tenant tenant, String plan) {
    public JsonObject toJson() {
      return tenant.toJson().put("plan", plan);
    }
  }

  /** Tenants matching a filter, in all and by state, tier and plan (states and tiers with none are 0). */
  public record Counts(long total, JsonObject byState, JsonObject byTier, JsonObject byPlan) {
    public JsonObject toJson() {
      return new JsonObject().put("total", total).put("by_state", byState).put("by_tier", byTier).put("by_plan", byPlan);
    }
  }

  private static final String BY_SLUGS = "SELECT " + Tenant.COLUMNS + " FROM platform.tenants WHERE slug = ANY($1)";

  private final Pool pool;

  public TenantSearch(Pool pool) {
    this.pool = pool;
  }

  /** Up to {@code limit} matching tenants after {@code after} (null: from the start), in id order. */
  public Future<List<Found>> page(TenantFilter filter, UUID after, int limit) {
    Where where = where(filter);
    if (after != null) {
      where.add("id > $", after);
    }
    String sql = "SELECT " + Tenant.COLUMNS + ", plan FROM platform.tenants" + where.sql() + " ORDER BY id LIMIT "
      + where.param(limit);
    return pool.preparedQuery(sql).execute(where.params).map(rows -> {
      List<Found> found = new ArrayList<>(rows.size());
      rows.forEach(row -> found.add(new Found(Tenant.from(row), row.getString("plan"))));
      return found;
    });
  }

  /** One statement: GROUPING SETS give the total and the three breakdowns in one scan. */
  public Future<Counts> counts(TenantFilter filter) {
    Where where = where(filter);
    String sql = "SELECT status, isolation, plan, count(*) AS n, GROUPING(status, isolation, plan) AS g "
      + "FROM platform.tenants" + where.sql() + " GROUP BY GROUPING SETS ((status), (isolation), (plan), ())";
    return pool.preparedQuery(sql).execute(where.params).map(rows -> {
      JsonObject byState = new JsonObject();
      for (Tenant.Status state : Tenant.Status.values()) {
        byState.put(state.sql(), 0L);
      }
      JsonObject byTier = new JsonObject();
      for (Isolation tier : Isolation.values()) {
        byTier.put(tier.sql(), 0L);
      }
      JsonObject byPlan = new JsonObject();
      long total = 0;
      for (Row row : rows) {
        long n = row.getLong("n");
        // GROUPING's bits, status first: 0b011 grouped by status only, 0b101 by isolation, 0b110 by plan
        switch (row.getInteger("g")) {
          case 0b011 -> byState.put(row.getString("status"), n);
          case 0b101 -> byTier.put(row.getString("isolation"), n);
          case 0b110 -> byPlan.put(row.getString("plan"), n);
          default -> total = n;
        }
      }
      return new Counts(total, byState, byTier, byPlan);
    });
  }

  /** The tenants with these slugs (slugs of none are left out), in no particular order. */
  public Future<List<Tenant>> bySlugs(List<String> slugs) {
    return pool.preparedQuery(BY_SLUGS).execute(Tuple.of(slugs.toArray(String[]::new))).map(rows -> {
      List<Tenant> found = new ArrayList<>(rows.size());
      rows.forEach(row -> found.add(Tenant.from(row)));
      return found;
    });
  }

  private static Where where(TenantFilter filter) {
    Where where = new Where();
    if (filter.state() != null) {
      where.add("status = $", filter.state().sql());
    }
    if (filter.tier() != null) {
      where.add("isolation = $", filter.tier().sql());
    }
    if (filter.plan() != null) {
      where.add("plan = $", filter.plan());
    }
    if (filter.parentId() != null) {
      where.add("parent_id = $", filter.parentId());
    }
    if (filter.createdAfter() != null) {
      where.add("created_at > $", filter.createdAfter());
    }
    if (filter.createdBefore() != null) {
      where.add("created_at < $", filter.createdBefore());
    }
    if (filter.prefix() != null) {
      String pattern = likePrefix(filter.prefix().toLowerCase(Locale.ROOT));
      String n = where.param(pattern);
      where.conditions.add("(slug LIKE " + n + " OR lower(name) LIKE " + n + ")");
    }
    return where;
  }

  /** The prefix with LIKE's wildcards and its escape character taken literally, then '%'. */
  static String likePrefix(String prefix) {
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  /** Conditions joined by AND, each value a numbered parameter. */
  private static final class Where {
    final List<String> conditions = new ArrayList<>();
    final Tuple params = Tuple.tuple();

    void add(String conditionEndingInDollar, Object value) {
      conditions.add(conditionEndingInDollar + (params.size() + 1));
      params.addValue(value);
    }

    String param(Object value) {
      params.addValue(value);
      return "$" + params.size();
    }

    String sql() {
      return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }
  }
}
