package io.tenantry.ratelimit;

import io.vertx.core.json.JsonObject;

/**
 * A complete set of limits: requests per second and burst for the whole tenant, an optional per-user sub-limit
 * ({@code userRate}/{@code userBurst}, both or neither), how many requests a write costs (a read costs 1), and the
 * subtree budgets above the tenant ({@code subtree}; null when none applies).
 */
public record Limits(int rate, int burst, Integer userRate, Integer userBurst, int writeCost, Subtree subtree) {
  public static final int MAX = 1_000_000;
  public static final int MAX_WRITE_COST = 100;

  public Limits {
    if ((userRate == null) != (userBurst == null)) {
      throw new IllegalArgumentException("user_rate and user_burst go together");
    }
  }

  public Limits(int rate, int burst, Integer userRate, Integer userBurst, int writeCost) {
    this(rate, burst, userRate, userBurst, writeCost, null);
  }

  /** These limits under the subtree budgets of the tenant's hierarchy. */
  public Limits withSubtree(Subtree budgets) {
    return budgets == subtree ? this : new Limits(rate, burst, userRate, userBurst, writeCost, budgets);
  }

  public boolean hasUserLimit() {
    return userRate != null;
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
