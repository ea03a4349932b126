package io.tenantry.records.query;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/** Reads what the guard needs from {@code EXPLAIN (FORMAT JSON)} output. */
final class Plans {
  /** Declared collection indexes are named rx_<hash> (indexes.IndexDdl); the primary key serves no filter or sort. */
  static final String DECLARED_PREFIX = "rx_";

  private Plans() {
  }

  static JsonObject root(RowSet<Row> rows) {
    Object value = rows.iterator().next().getValue(0);
    JsonArray plans = value instanceof JsonArray a ? a : new JsonArray(String.valueOf(value));
    return plans.getJsonObject(0).getJsonObject("Plan");
  }

  static long rows(RowSet<Row> rows) {
    return root(rows).getNumber("Plan Rows").longValue();
  }

  /**
   * Whether a node of the plan searches a declared collection index: with an index condition, or (a sorted query)
   * reading it in order. A declared index is partial on the tenant's collection, so the planner may also scan one
   * whole, with no condition, just to read the collection's rows: that bounds nothing and does not count.
   */
  static boolean usesDeclaredIndex(JsonObject node, boolean sorted) {
    String index = node.getString("Index Name");
    if (index != null && index.startsWith(DECLARED_PREFIX) && (node.containsKey("Index Cond")
      || sorted && !"Bitmap Index Scan".equals(node.getString("Node Type")))) {
      return true;
    }
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) {
      for (int i = 0; i < children.size(); i++) {
        if (usesDeclaredIndex(children.getJsonObject(i), sorted)) {
          return true;
        }
      }
    }
    return false;
  }
}
