package io.tenantry.ratelimit;

import io.vertx.core.json.JsonObject;

/** Requests per second and burst: a subtree budget or a cap within one. */
public record Rate(int rate, int burst) {
  public JsonObject toJson() {
    return new JsonObject().put("rate", rate).put("burst", burst);
  }

  /** True when neither value exceeds {@code bound}'s. */
  public boolean within(Rate bound) {
    return rate <= bound.rate && burst <= bound.burst;
  }
}
