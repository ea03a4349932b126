package io.tenantry.ratelimit;

import io.vertx.core.json.JsonObject;

import java.util.regex.Pattern;

/** A named set of limits in platform.plans; every tenant is on one. */
public record Plan(String name, Limits limits) {
  public static final String DEFAULT = "default";
  public static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,40}");

  public JsonObject toJson() {
    return new JsonObject().put("name", name).mergeIn(limits.toJson());
  }
}
