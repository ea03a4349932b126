package io.tenantry.billing;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Tenants' plan changes (platform.subscriptions): each in effect from its time until the next. */
public final class Subscriptions {
  public record Change(Instant effectiveFrom, String plan) {
  }

  private final Pool pool;

  public Subscriptions(Pool pool) {
    this.pool = pool;
  }

  public Future<Map<UUID, List<Change>>> of(List<UUID> tenants) {
    return pool.preparedQuery(BillingSql.SUBSCRIPTIONS).execute(Tuple.of(tenants.toArray(UUID[]::new))).map(rows -> {
      Map<UUID, List<Change>> out = new HashMap<>();
      for (Row row : rows) {
        out.computeIfAbsent(row.getUUID("tenant_id"), id -> new ArrayList<>())
          .add(new Change(row.getOffsetDateTime("effective_from").toInstant(), row.getString("plan")));
      }
      return out;
    });
  }

  /** @throws Problem 409 (as a failed future) for a change not after the latest, or into a finalized period */
  public Future<Change> add(UUID tenant, Change change) {
    return pool.preparedQuery(BillingSql.PLAN_EXISTS).execute(Tuple.of(change.plan())).compose(plan -> {
      if (plan.size() == 0) {
        return Future.failedFuture(Problem.badRequest("no plan '" + change.plan() + "'"));
      }
      return pool.preparedQuery(BillingSql.ADD_SUBSCRIPTION)
        .execute(Tuple.of(tenant, change.effectiveFrom().atOffset(ZoneOffset.UTC), change.plan()))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture(change)
          : Future.failedFuture(Problem.of(409, "subscription-overlap", "Subscription periods overlap",
            "a plan change must take effect after the tenant's latest change and after its last finalized invoice; "
              + change.effectiveFrom() + " does not")));
    });
  }

  /** Who pays for the tenant: "self" or "parent". */
  public Future<Void> setPays(UUID tenant, String pays) {
    return pool.preparedQuery(BillingSql.PUT_PAYS).execute(Tuple.of(tenant, pays)).mapEmpty();
  }
}
