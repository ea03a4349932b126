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

  /** Whether any node of the plan reads a declared collection index. */
  static boolean usesDeclaredIndex(JsonObject node) {
    String index = node.getString("Index Name");
    if (index != null && index.startsWith(DECLARED_PREFIX)) {
      return true;
    }
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) {
      for (int i = 0; i < children.size(); i++) {
        if (usesDeclaredIndex(children.getJsonObject(i))) {
          return true;
        }
      }
    }
    return false;
  }
}
