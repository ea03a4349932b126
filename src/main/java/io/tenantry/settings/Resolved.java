package io.tenantry.settings;

import io.vertx.core.json.JsonObject;

/**
 * A setting's effective value and where it came from: {@code platform} (the default), an ancestor's slug,
 * {@code tenant} or {@code user}.
 */
public record Resolved(Object value, String source) {
  public static final String PLATFORM = "platform";
  public static final String TENANT = "tenant";
  public static final String USER = "user";

  public JsonObject toJson() {
    return new JsonObject().put("value", value).put("source", source);
  }
}
