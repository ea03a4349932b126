package io.tenantry.ratelimit;

import io.vertx.core.json.JsonObject;

/**
 * What platform.subtree_limits holds for one tenant: its subtree budget, the default cap of each direct child's
 * branch within it, and its own cap within its parent's budget (overriding the parent's default). Each may be null.
 */
public record SubtreeSettings(Rate budget, Rate childCap, Rate cap) {
  public static final SubtreeSettings NONE = new SubtreeSettings(null, null, null);

  public boolean isEmpty() {
    return budget == null && childCap == null && cap == null;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("budget", budget == null ? null : budget.toJson())
      .put("child_cap", childCap == null ? null : childCap.toJson())
      .put("cap", cap == null ? null : cap.toJson());
  }
}
