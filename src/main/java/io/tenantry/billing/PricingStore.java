package io.tenantry.billing;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Plans' prices (platform.plan_prices). */
public final class PricingStore {
  private final Pool pool;

  public PricingStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<PlanPricing>> get(String plan) {
    return pool.preparedQuery(BillingSql.PRICING).execute(Tuple.of(plan))
      .map(rows -> rows.size() == 0 ? Optional.<PlanPricing>empty() : Optional.of(from(rows.iterator().next())));
  }

  public Future<Map<String, PlanPricing>> all() {
    return pool.query(BillingSql.ALL_PRICING).execute().map(rows -> {
      Map<String, PlanPricing> out = new HashMap<>();
      rows.forEach(row -> out.put(row.getString("plan"), from(row)));
      return out;
    });
  }

  /** @throws Problem 404 (as a failed future) when the plan does not exist */
  public Future<PlanPricing> put(PlanPricing pricing) {
    return pool.preparedQuery(BillingSql.PLAN_EXISTS).execute(Tuple.of(pricing.plan())).compose(found -> {
      if (found.size() == 0) {
        return Future.failedFuture(Problem.notFound("no plan '" + pricing.plan() + "': create it with PUT /admin/v1/plans/"
          + pricing.plan() + " first"));
      }
      JsonObject json = pricing.toJson();
      return pool.preparedQuery(BillingSql.PUT_PRICING).execute(Tuple.of(pricing.plan(), pricing.currency(),
        pricing.baseFee(), json.getJsonObject("meters"))).map(pricing);
    });
  }

  private static PlanPricing from(Row row) {
    JsonObject json = new JsonObject().put("currency", row.getString("currency")).put("base_fee", row.getLong("base_fee"))
      .put("meters", row.getJsonObject("meters"));
    return PlanPricing.fromJson(row.getString("plan"), json);
  }
}
