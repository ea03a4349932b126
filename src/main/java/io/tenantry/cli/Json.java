package io.tenantry.cli;

/** How the CLI shows a JSON value in a line of text. */
final class Json {
  static String show(Object value) {
    if (value instanceof String s) {
      return "\"" + s + "\"";
    }
    if (value instanceof io.vertx.core.json.JsonObject o) {
      return o.encode();
    }
    if (value instanceof io.vertx.core.json.JsonArray a) {
      return a.encode();
    }
    return String.valueOf(value);
  }

  private Json() {
  }
}
