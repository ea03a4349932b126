package io.tenantry.ratelimit;

import io.tenantry.http.Problem;
import io.vertx.core.json.JsonObject;

/** A super-admin's per-tenant override: each non-null value replaces the plan's. All null = no override. */
public record LimitOverride(Integer rate, Integer burst, Integer userRate, Integer userBurst, Integer writeCost) {
  public static final LimitOverride NONE = new LimitOverride(null, null, null, null, null);

  public boolean isEmpty() {
    return equals(NONE);
  }

  /**
   * The plan's limits with this override applied. A user rate without a user burst (possible only when a plan
   * changed under an override) means no per-user sub-limit: requests are never failed over stored data.
   */
  public Limits applyTo(Limits plan) {
    Integer effectiveUserRate = userRate != null ? userRate : plan.userRate();
    Integer effectiveUserBurst = userBurst != null ? userBurst : plan.userBurst();
    boolean user = effectiveUserRate != null && effectiveUserBurst != null;
    Limits applied = new Limits(
      rate != null ? rate : plan.rate(),
      burst != null ? burst : plan.burst(),
      user ? effectiveUserRate : null,
      user ? effectiveUserBurst : null,
      writeCost != null ? writeCost : plan.writeCost());
    // when nothing changed, the tenant holds the plan's instance, shared by every tenant on the plan
    return applied.equals(plan) ? plan : applied;
  }

  /** A 400 problem when, over this plan, the override would leave a user rate without a burst or the reverse. */
  public void checkAgainst(Limits plan) {
    boolean rateSet = userRate != null || plan.userRate() != null;
    boolean burstSet = userBurst != null || plan.userBurst() != null;
    if (rateSet != burstSet) {
      throw Problem.badRequest("user_rate and user_burst must both be set (by the override or the plan) or both be absent");
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("rate", rate)
      .put("burst", burst)
      .put("user_rate", userRate)
      .put("user_burst", userBurst)
      .put("write_cost", writeCost);
  }
}
