package io.tenantry.colschema;

import io.tenantry.http.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;

import java.util.ArrayList;
import java.util.List;

/**
 * A validator's output as a client reads it. The Basic output lists every failing keyword, including the
 * applicators that failed only because something inside them did ("Property "a" does not match schema"); only the
 * innermost ones say what is wrong, so only those are listed.
 */
final class ValidationErrors {
  static final int MAX_LISTED = 100;

  private ValidationErrors() {
  }

  static List<OutputUnit> leaves(OutputUnit output) {
    List<OutputUnit> errors = output.getErrors() == null ? List.of() : output.getErrors();
    List<OutputUnit> leaves = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (OutputUnit error : errors) {
      String keyword = error.getKeywordLocation() == null ? "" : error.getKeywordLocation();
      boolean wraps = errors.stream().anyMatch(other -> other != error && other.getKeywordLocation() != null
        && other.getKeywordLocation().startsWith(keyword + "/"));
      if (!wraps && seen.add(error.getInstanceLocation() + " " + keyword + " " + error.getError())) {
        leaves.add(error);
      }
    }
    return leaves.isEmpty() ? errors : leaves;
  }

  /**
   * The validator's location, a URI fragment ("#/a%20b/0"), as the RFC 6901 JSON pointer it encodes ("/a b/0";
   * "" is the whole document).
   */
  static String pointer(String location) {
    if (location == null) {
      return "";
    }
    String fragment = location.startsWith("#") ? location.substring(1) : location;
    if (fragment.indexOf('%') < 0) {
      return fragment;
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(fragment.length());
    for (int i = 0; i < fragment.length(); i++) {
      char c = fragment.charAt(i);
      int hi = i + 2 < fragment.length() ? Character.digit(fragment.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(fragment.charAt(i + 2), 16) : -1;
      if (c == '%' && hi >= 0 && lo >= 0) {
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] raw = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
      }
    }
    return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A record refused by its collection's schema: 422 listing each error with a JSON pointer into the record. */
  static Problem invalidRecord(String collection, OutputUnit output) {
    List<OutputUnit> leaves = leaves(output);
    JsonArray errors = new JsonArray();
    for (OutputUnit error : leaves.subList(0, Math.min(leaves.size(), MAX_LISTED))) {
      errors.add(new JsonObject()
        .put("pointer", pointer(error.getInstanceLocation()))
        .put("keyword", pointer(error.getKeywordLocation()))
        .put("message", error.getError()));
    }
    String first = errors.isEmpty() ? "" : ": " + describe(errors.getJsonObject(0));
    return Problem.of(422, "schema-violation", "Record does not match its collection's schema",
        "the record does not match the schema of collection " + collection + " (" + leaves.size()
          + (leaves.size() == 1 ? " error" : " errors") + ")" + first)
      .withMembers(new JsonObject().put("errors", errors).put("error_count", leaves.size()));
  }

  private static String describe(JsonObject error) {
    String pointer = error.getString("pointer");
    return (pointer.isEmpty() ? "(the record)" : pointer) + " " + error.getString("message");
  }
}
