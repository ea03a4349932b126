package io.tenantry.records;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/** JSON Merge Patch (RFC 7396) of an object by an object. */
public final class MergePatch {
  private MergePatch() {
  }

  /** @return a new object: {@code target} with {@code patch} applied; neither argument is changed */
  public static JsonObject apply(JsonObject target, JsonObject patch) {
    JsonObject result = target.copy();
    for (Map.Entry<String, Object> entry : patch) {
      Object value = entry.getValue();
      if (value == null) {
        result.remove(entry.getKey());
      } else if (value instanceof JsonObject patchObject) {
        Object existing = result.getValue(entry.getKey());
        JsonObject base = existing instanceof JsonObject existingObject ? existingObject : new JsonObject();
        result.put(entry.getKey(), apply(base, patchObject));
      } else {
        result.put(entry.getKey(), value instanceof io.vertx.core.json.JsonArray array ? array.copy() : value);
      }
    }
    return result;
  }
}
