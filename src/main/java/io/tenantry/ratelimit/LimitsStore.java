package io.tenantry.ratelimit;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one class that knows the SQL of platform.plans, platform.tenant_limits and platform.tenants.plan. A tenant's
 * limits carry the subtree budgets of its line ({@link SubtreeStore#LINE}) from the same query.
 */
public final class LimitsStore {
  private static final String PLAN_COLUMNS = "p.name, p.rate, p.burst, p.user_rate, p.user_burst, p.write_cost";
  private static final String TENANT_LIMITS = "SELECT t.id, t.path, " + SubtreeStore.LINE + " AS subtree, " + PLAN_COLUMNS
    + ", o.rate AS o_rate, o.burst AS o_burst, o.user_rate AS o_user_rate, o.user_burst AS o_user_burst,"
    + " o.write_cost AS o_write_cost"
    + " FROM platform.tenants t JOIN platform.plans p ON p.name = t.plan"
    + " LEFT JOIN platform.tenant_limits o ON o.tenant_id = t.id";
  private static final String BY_IDS = TENANT_LIMITS + " WHERE t.id = ANY($1)";
  private static final String BY_ID = TENANT_LIMITS + " WHERE t.id = $1";
  private static final String SET_PLAN = "UPDATE platform.tenants SET plan = $2, updated_at = now() WHERE id = $1";
  private static final String DELETE_OVERRIDE = "DELETE FROM platform.tenant_limits WHERE tenant_id = $1";
  private static final String UPSERT_OVERRIDE =
    "INSERT INTO platform.tenant_limits (tenant_id, rate, burst, user_rate, user_burst, write_cost)"
      + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id) DO UPDATE SET rate = $2, burst = $3,"
      + " user_rate = $4, user_burst = $5, write_cost = $6, updated_at = now()";
  private static final String LIST_PLANS = "SELECT " + PLAN_COLUMNS + " FROM platform.plans p ORDER BY p.name";
  private static final String PLAN_BY_NAME = "SELECT " + PLAN_COLUMNS + " FROM platform.plans p WHERE p.name = $1";
  private static final String UPSERT_PLAN =
    "INSERT INTO platform.plans AS p (name, rate, burst, user_rate, user_burst, write_cost) VALUES ($1, $2, $3, $4, $5, $6)"
      + " ON CONFLICT (name) DO UPDATE SET rate = $2, burst = $3, user_rate = $4, user_burst = $5, write_cost = $6,"
      + " updated_at = now() RETURNING " + PLAN_COLUMNS;
  private static final String VERSION = "SELECT version FROM platform.limits_version";
  /** SQLSTATE foreign_key_violation: the plan named does not exist. */
  private static final String FK_VIOLATION = "23503";

  private final Pool pool;
  /**
   * One instance per distinct plan read, shared by the limits of all its tenants (and, through
   * {@link LimitOverride#applyTo}, their limits when they have no override) instead of a copy per tenant held.
   */
  private final Map<Plan, Plan> knownPlans = new ConcurrentHashMap<>();

  public LimitsStore(Pool pool) {
    this.pool = pool;
  }

  // File storage quotas (io.tenantry.storage reads them): storage_bytes / storage_files of plans and overrides.
  private static final String STORAGE_OVERRIDE = "INSERT INTO platform.tenant_limits (tenant_id, storage_bytes, storage_files,"
    + " storage_subtree_bytes, storage_subtree_files) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id) DO UPDATE SET"
    + " storage_bytes = $2, storage_files = $3, storage_subtree_bytes = $4, storage_subtree_files = $5, updated_at = now()";
  private static final String STORAGE_PLAN = "UPDATE platform.plans SET storage_bytes = $2, storage_files = $3 WHERE name = $1";
  private static final String STORAGE_VIEW = "SELECT p.storage_bytes AS p_bytes, p.storage_files AS p_files,"
    + " o.storage_bytes AS o_bytes, o.storage_files AS o_files, o.storage_subtree_bytes AS s_bytes,"
    + " o.storage_subtree_files AS s_files FROM platform.tenants t JOIN platform.plans p ON p.name = t.plan"
    + " LEFT JOIN platform.tenant_limits o ON o.tenant_id = t.id WHERE t.id = $1";

  /**
   * Sets the tenant's storage override (nulls inherit the plan's) and the quota its subtree shares (null: none),
   * after {@link #update} replaced the rest.
   */
  public Future<Void> updateStorage(UUID tenantId, Long bytes, Long files, Long subtreeBytes, Long subtreeFiles) {
    if (bytes == null && files == null && subtreeBytes == null && subtreeFiles == null) {
      return pool.preparedQuery("UPDATE platform.tenant_limits SET storage_bytes = NULL, storage_files = NULL,"
          + " storage_subtree_bytes = NULL, storage_subtree_files = NULL WHERE tenant_id = $1")
        .execute(Tuple.of(tenantId)).mapEmpty();
    }
    return pool.preparedQuery(STORAGE_OVERRIDE).execute(Tuple.of(tenantId, bytes, files, subtreeBytes, subtreeFiles))
      .mapEmpty();
  }

  public Future<Void> updatePlanStorage(String plan, Long bytes, Long files) {
    return pool.preparedQuery(STORAGE_PLAN).execute(Tuple.of(plan, bytes, files)).mapEmpty();
  }

  /** The storage quotas in force for the tenant, the plan's and the override's. */
  public Future<io.vertx.core.json.JsonObject> storageView(UUID tenantId) {
    return pool.preparedQuery(STORAGE_VIEW).execute(Tuple.of(tenantId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      Long ob = r.getLong("o_bytes");
      Long of = r.getLong("o_files");
      return new io.vertx.core.json.JsonObject()
        .put("storage_bytes", ob != null ? ob : r.getLong("p_bytes"))
        .put("storage_files", of != null ? of : r.getLong("p_files"))
        .put("plan", new io.vertx.core.json.JsonObject().put("storage_bytes", r.getLong("p_bytes")).put("storage_files", r.getLong("p_files")))
        .put("override", new io.vertx.core.json.JsonObject().put("storage_bytes", ob).put("storage_files", of))
        .put("storage_subtree_bytes", r.getLong("s_bytes"))
        .put("storage_subtree_files", r.getLong("s_files"));
    });
  }

  Pool pool() {
    return pool;
  }

  public Future<Optional<TenantLimits>> byTenant(UUID tenantId) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(tenantId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(tenantLimits(rows.iterator().next(), tenantId)));
  }

  /** A number that every committed change to any tenant's limits moves (V57: plans, overrides, budgets, tenants). */
  public Future<Long> version() {
    return pool.preparedQuery(VERSION).execute().map(rows -> rows.iterator().next().getLong(0));
  }

  /** The limits of every tenant in {@code ids} that exists, in one query. */
  public Future<List<TenantLimits>> byTenants(List<UUID> ids) {
    return pool.preparedQuery(BY_IDS).execute(Tuple.of(ids.toArray(UUID[]::new))).map(this::allTenantLimits);
  }

  /** Replaces the tenant's override (an empty one removes it) and, when {@code plan} is not null, its plan. */
  public Future<Void> update(UUID tenantId, String plan, LimitOverride override) {
    return pool.withTransaction(tx -> setPlan(tx, tenantId, plan).compose(v -> setOverride(tx, tenantId, override)));
  }

  public Future<List<Plan>> plans() {
    return pool.query(LIST_PLANS).execute().map(rows -> {
      List<Plan> plans = new ArrayList<>(rows.size());
      rows.forEach(row -> plans.add(plan(row)));
      return plans;
    });
  }

  public Future<Optional<Plan>> plan(String name) {
    return pool.preparedQuery(PLAN_BY_NAME).execute(Tuple.of(name))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(plan(rows.iterator().next())));
  }

  public Future<Plan> savePlan(Plan plan) {
    Limits l = plan.limits();
    return pool.preparedQuery(UPSERT_PLAN)
      .execute(Tuple.of(plan.name(), l.rate(), l.burst(), l.userRate(), l.userBurst(), l.writeCost()))
      .map(rows -> plan(rows.iterator().next()));
  }

  private static Future<Void> setPlan(SqlConnection tx, UUID tenantId, String plan) {
    if (plan == null) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(SET_PLAN).execute(Tuple.of(tenantId, plan))
      .<Void>mapEmpty()
      .recover(e -> e instanceof PgException pg && FK_VIOLATION.equals(pg.getSqlState())
        ? Future.failedFuture(Problem.badRequest("there is no plan named '" + plan + "'"))
        : Future.failedFuture(e));
  }

  private static Future<Void> setOverride(SqlConnection tx, UUID tenantId, LimitOverride o) {
    Future<RowSet<Row>> done = o.isEmpty()
      ? tx.preparedQuery(DELETE_OVERRIDE).execute(Tuple.of(tenantId))
      : tx.preparedQuery(UPSERT_OVERRIDE).execute(Tuple.of(tenantId, o.rate(), o.burst(), o.userRate(), o.userBurst(), o.writeCost()));
    return done.mapEmpty();
  }

  private List<TenantLimits> allTenantLimits(RowSet<Row> rows) {
    List<TenantLimits> all = new ArrayList<>(rows.size());
    rows.forEach(row -> all.add(tenantLimits(row, row.getUUID("id"))));
    return all;
  }

  /** @param id the tenant's id (the caller's instance when it has one: one fewer copy held per tenant) */
  private TenantLimits tenantLimits(Row row, UUID id) {
    LimitOverride override = new LimitOverride(row.getInteger("o_rate"), row.getInteger("o_burst"),
      row.getInteger("o_user_rate"), row.getInteger("o_user_burst"), row.getInteger("o_write_cost"));
    Subtree subtree = Subtree.of(id, List.of(row.getArrayOfUUIDs("path")), SubtreeStore.line(row.getString("subtree")));
    return TenantLimits.of(id, shared(plan(row)), override.isEmpty() ? LimitOverride.NONE : override, subtree);
  }

  private Plan shared(Plan plan) {
    if (knownPlans.size() > 256) {
      knownPlans.clear(); // plans are few; edited ones leave old variants behind
    }
    Plan known = knownPlans.putIfAbsent(plan, plan);
    return known != null ? known : plan;
  }

  private static Plan plan(Row row) {
    return new Plan(row.getString("name"), new Limits(row.getInteger("rate"), row.getInteger("burst"),
      row.getInteger("user_rate"), row.getInteger("user_burst"), row.getInteger("write_cost")));
  }
}
