package io.tenantry.ratelimit;

import io.vertx.core.json.JsonObject;

/**
 * A complete set of limits: requests per second and burst for the whole tenant, an optional per-user sub-limit
 * ({@code userRate}/{@code userBurst}, both or neither), and how many requests a write costs (a read costs 1).
 */
public record Limits(int rate, int burst, Integer userRate, Integer userBurst, int writeCost) {
  public static final int MAX = 1_000_000;
  public static final int MAX_WRITE_COST = 100;

  public Limits {
    if ((userRate == null) != (userBurst == null)) {
      throw new IllegalArgumentException("user_rate and user_burst go together");
    }
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
