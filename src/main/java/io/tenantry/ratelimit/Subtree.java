package io.tenantry.ratelimit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The subtree budgets and branch caps above (or at) one tenant, root first, and the Redis hash tag all of that
 * tenant's rate-limit keys then share: the id of the topmost tenant holding a budget, so one script call can charge
 * them all atomically, on Redis Cluster too. Null in {@link Limits} when no budget applies (the common case).
 */
public record Subtree(UUID group, List<SubtreeLimit> limits) {

  /**
   * @param path the tenant's ancestors, root first
   * @param rows the platform.subtree_limits rows of the tenant and its ancestors (any order), with each one's slug
   * @return null when none of them holds a budget
   */
  static Subtree of(UUID tenantId, List<UUID> path, JsonArray rows) {
    if (rows == null || rows.isEmpty()) {
      return null;
    }
    Map<UUID, JsonObject> byId = new HashMap<>();
    rows.forEach(row -> byId.put(UUID.fromString(((JsonObject) row).getString("id")), (JsonObject) row));
    List<UUID> line = new ArrayList<>(path);
    line.add(tenantId);
    UUID group = null;
    List<SubtreeLimit> limits = new ArrayList<>();
    for (int i = 0; i < line.size(); i++) {
      JsonObject row = byId.get(line.get(i));
      Rate budget = row == null ? null : rate(row, "rate", "burst");
      if (budget == null) {
        continue;
      }
      if (group == null) {
        group = line.get(i);
      }
      String slug = row.getString("slug");
      limits.add(new SubtreeLimit(line.get(i), slug, null, budget));
      if (i + 1 < line.size()) {
        UUID child = line.get(i + 1);
        JsonObject childRow = byId.get(child);
        Rate cap = childRow == null ? null : rate(childRow, "cap_rate", "cap_burst");
        if (cap == null) {
          cap = rate(row, "child_rate", "child_burst");
        }
        if (cap != null) {
          limits.add(new SubtreeLimit(line.get(i), slug, child, cap));
        }
      }
    }
    return group == null ? null : new Subtree(group, List.copyOf(limits));
  }

  private static Rate rate(JsonObject row, String rate, String burst) {
    Integer r = row.getInteger(rate);
    Integer b = row.getInteger(burst);
    return r == null || b == null ? null : new Rate(r, b);
  }
}
