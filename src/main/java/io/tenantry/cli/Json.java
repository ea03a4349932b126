package io.tenantry.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Objects;

/** JSON values as the CLI shows and compares them. */
final class Json {
  static String show(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    if (value instanceof JsonObject o) {
      return o.encode();
    }
    if (value instanceof JsonArray a) {
      return a.encode();
    }
    return String.valueOf(value);
  }

  /** Equal as JSON values: numbers by value (YAML's 5 and the server's 5.0 agree), objects by content. */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    }
    if (a instanceof JsonObject x && b instanceof JsonObject y) {
      return x.size() == y.size() && x.fieldNames().stream().allMatch(k -> y.containsKey(k) && same(x.getValue(k), y.getValue(k)));
    }
    if (a instanceof JsonArray x && b instanceof JsonArray y) {
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!same(x.getValue(i), y.getValue(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private Json() {
  }
}
