package io.tenantry.colschema;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bounds a tenant's schema must keep besides being valid draft 2020-12 (docs/collection-schemas.md): its size,
 * depth and number of nodes bound the work of compiling and of validating each record; references stay inside the
 * document (nothing is fetched) and never form a cycle (which the validator would follow until its stack overflows).
 */
final class SchemaRules {
  static final int MAX_BYTES = 32 * 1024;
  static final int MAX_DEPTH = 32;
  static final int MAX_NODES = 2_000;
  static final int MAX_PATTERN_LENGTH = 512;
  static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
  private static final Set<String> UNSUPPORTED = Set.of("$id", "$anchor", "$dynamicRef", "$dynamicAnchor",
    "$recursiveRef", "$recursiveAnchor", "$vocabulary");

  private final List<String> errors = new ArrayList<>();
  private final Map<String, List<String>> refsUnder = new HashMap<>();
  private final List<String[]> refs = new ArrayList<>();
  private int nodes;

  private SchemaRules() {
  }

  /** What is wrong with the schema, in words naming where (a JSON pointer into it); empty when it keeps the bounds. */
  static List<String> check(JsonObject schema, int encodedBytes) {
    SchemaRules rules = new SchemaRules();
    if (encodedBytes > MAX_BYTES) {
      rules.errors.add("the schema is " + encodedBytes + " bytes; at most " + MAX_BYTES + " are allowed");
      return rules.errors;
    }
    Object draft = schema.getValue("$schema");
    if (draft != null && !DRAFT.equals(draft) && !(DRAFT + "#").equals(draft)) {
      rules.errors.add("/$schema: only draft 2020-12 (" + DRAFT + ") is supported");
    }
    rules.walk(schema, "", 0);
    rules.checkRefs(schema);
    return rules.errors;
  }

  private void walk(Object node, String pointer, int depth) {
    if (!errors.isEmpty() && errors.size() >= 20) {
      return;
    }
    if (++nodes == MAX_NODES + 1) {
      errors.add("the schema has more than " + MAX_NODES + " objects, arrays and values; simplify it");
    }
    if (depth > MAX_DEPTH) {
      errors.add(pointer + ": nested deeper than " + MAX_DEPTH + " levels");
      return;
    }
    if (node instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        Object value = object.getValue(key);
        String at = pointer + "/" + escape(key);
        if (UNSUPPORTED.contains(key)) {
          errors.add(at + ": " + key + " is not supported; use $ref with a JSON pointer into this schema (#/$defs/...)");
        } else if ("$ref".equals(key) && value instanceof String ref) {
          if (!ref.equals("#") && !ref.startsWith("#/")) {
            errors.add(at + ": $ref must be a JSON pointer into this schema (\"#/$defs/name\"), not " + quote(ref));
          } else {
            refs.add(new String[] {pointer, ref.substring(1)});
          }
        } else if ("pattern".equals(key) && value instanceof String p && p.length() > MAX_PATTERN_LENGTH) {
          errors.add(at + ": patterns are limited to " + MAX_PATTERN_LENGTH + " characters");
        }
        walk(value, at, depth + 1);
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        walk(array.getValue(i), pointer + "/" + i, depth + 1);
      }
    }
  }

  /** Every reference resolves, and following references never comes back to where it started. */
  private void checkRefs(JsonObject schema) {
    for (String[] ref : refs) {
      if (resolve(schema, ref[1]) == null) {
        errors.add(ref[0] + "/$ref: " + quote("#" + ref[1]) + " does not point into this schema");
        return;
      }
    }
    for (String[] ref : refs) {
      refsUnder.computeIfAbsent(ref[1], target -> refs.stream()
        .filter(r -> r[0].equals(target) || r[0].startsWith(target + "/") || target.isEmpty())
        .map(r -> r[1]).toList());
    }
    Set<String> done = new HashSet<>();
    for (String[] ref : refs) {
      if (cycle(ref[1], new HashSet<>(), done)) {
        errors.add(ref[0] + "/$ref: " + quote("#" + ref[1]) + " is recursive (it refers back to itself); "
          + "recursive schemas are not supported");
        return;
      }
    }
  }

  private boolean cycle(String target, Set<String> path, Set<String> done) {
    if (done.contains(target)) {
      return false;
    }
    if (!path.add(target)) {
      return true;
    }
    for (String next : refsUnder.getOrDefault(target, List.of())) {
      refsUnder.computeIfAbsent(next, t -> refs.stream()
        .filter(r -> r[0].equals(t) || r[0].startsWith(t + "/") || t.isEmpty()).map(r -> r[1]).toList());
      if (cycle(next, path, done)) {
        return true;
      }
    }
    path.remove(target);
    done.add(target);
    return false;
  }

  private static Object resolve(JsonObject schema, String pointer) {
    Object node = schema;
    if (pointer.isEmpty()) {
      return node;
    }
    for (String raw : pointer.substring(1).split("/", -1)) {
      String token = raw.replace("~1", "/").replace("~0", "~");
      if (node instanceof JsonObject object && object.containsKey(token)) {
        node = object.getValue(token);
      } else if (node instanceof JsonArray array && token.matches("0|[1-9][0-9]{0,5}") && Integer.parseInt(token) < array.size()) {
        node = array.getValue(Integer.parseInt(token));
      } else {
        return null;
      }
    }
    return node;
  }

  static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String quote(String text) {
    return "\"" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "\"";
  }
}
