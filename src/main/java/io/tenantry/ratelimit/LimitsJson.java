package io.tenantry.ratelimit;

import io.tenantry.http.Problem;
import io.vertx.core.json.JsonObject;

/** Reads limits from request bodies; a value of the wrong type or out of range is a 400 problem naming the field. */
final class LimitsJson {
  private LimitsJson() {
  }

  /** The body of PUT /admin/v1/tenants/{slug}/limits without "plan": absent or null fields inherit from the plan. */
  static LimitOverride override(JsonObject body) {
    return new LimitOverride(
      optional(body, "rate", Limits.MAX),
      optional(body, "burst", Limits.MAX),
      optional(body, "user_rate", Limits.MAX),
      optional(body, "user_burst", Limits.MAX),
      optional(body, "write_cost", Limits.MAX_WRITE_COST));
  }

  /** The body of PUT /admin/v1/plans/{name}: rate and burst required, the rest optional. */
  static Limits plan(JsonObject body) {
    Integer rate = required(body, "rate", Limits.MAX);
    Integer burst = required(body, "burst", Limits.MAX);
    Integer userRate = optional(body, "user_rate", Limits.MAX);
    Integer userBurst = optional(body, "user_burst", Limits.MAX);
    Integer writeCost = optional(body, "write_cost", Limits.MAX_WRITE_COST);
    if ((userRate == null) != (userBurst == null)) {
      throw Problem.badRequest("user_rate and user_burst go together: give both or neither");
    }
    return new Limits(rate, burst, userRate, userBurst, writeCost == null ? 1 : writeCost);
  }

  /** A storage quota (storage_bytes, storage_files): absent or null is none (inherit), else a whole number >= 0. */
  static Long storage(JsonObject body, String key) {
    Object value = body.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 0
      && n.doubleValue() <= 9.0e18) {
      return n.longValue();
    }
    throw Problem.badRequest(key + " must be a whole number from 0 (or null for no limit)");
  }

  private static Integer required(JsonObject body, String key, int max) {
    Integer value = optional(body, key, max);
    if (value == null) {
      throw Problem.badRequest(key + " is required");
    }
    return value;
  }

  static Integer optional(JsonObject body, String key, int max) {
    Object value = body.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
      && n.doubleValue() >= 1 && n.doubleValue() <= max) {
      return n.intValue();
    }
    throw Problem.badRequest(key + " must be a whole number from 1 to " + max);
  }
}
