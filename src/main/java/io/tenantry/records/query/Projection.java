package io.tenantry.records.query;

import io.tenantry.http.Problem;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code fields=a,b.c}: the data members a record's {@code data} keeps in the answer (the record's id, version and
 * times always stay). A path that a record lacks is left out of that record.
 */
public record Projection(List<FieldRef> paths) {
  public static final int MAX_FIELDS = 50;

  public static Projection parse(String value) {
    if (value == null) {
      return null;
    }
    String[] names = value.split(",", -1);
    if (names.length > MAX_FIELDS) {
      throw Problem.badRequest("fields: at most " + MAX_FIELDS + " paths");
    }
    List<FieldRef> paths = new ArrayList<>();
    for (String name : names) {
      FieldRef path = FieldRef.parse(name, "fields");
      if (!path.data()) {
        throw Problem.badRequest("fields: names data paths; created_at and updated_at are always in the answer");
      }
      paths.add(path);
    }
    return new Projection(paths);
  }

  public JsonObject apply(JsonObject data) {
    JsonObject kept = new JsonObject();
    for (FieldRef path : paths) {
      copy(data, kept, path.segments(), 0);
    }
    return kept;
  }

  private static void copy(JsonObject from, JsonObject to, List<String> segments, int at) {
    String key = segments.get(at);
    if (!from.containsKey(key)) {
      return;
    }
    Object value = from.getValue(key);
    if (at == segments.size() - 1) {
      to.put(key, value);
    } else if (value instanceof JsonObject inner) {
      JsonObject target = to.getValue(key) instanceof JsonObject existing ? existing : new JsonObject();
      copy(inner, target, segments, at + 1);
      if (!target.isEmpty()) {
        to.put(key, target);
      }
    }
  }
}
