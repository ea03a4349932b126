package io.tenantry.settings;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.util.Optional;

/**
 * One platform-declared setting: its JSON Schema (compiled once), its default, and whether users may hold their own
 * value. Declared by a file {@code settings/<key>.json} in the jar.
 */
public record Setting(String key, String description, boolean userLevel, Object defaultValue, JsonObject schema,
                      Validator validator) {

  /** The first thing wrong with {@code value}, or empty when it is valid. */
  public Optional<Invalid> check(Object value) {
    if (value == null) {
      return Optional.of(new Invalid("", "a value is required (DELETE the setting to fall back to the inherited one)"));
    }
    OutputUnit result = validator.validate(value);
    if (Boolean.TRUE.equals(result.getValid())) {
      return Optional.empty();
    }
    OutputUnit first = result.getErrors() == null || result.getErrors().isEmpty() ? result : deepest(result);
    return Optional.of(new Invalid(pointer(first.getInstanceLocation()),
      first.getError() == null ? "does not match the setting's schema" : first.getError()));
  }

  /** The error that names the innermost location: the most precise pointer to what is wrong. */
  private static OutputUnit deepest(OutputUnit result) {
    OutputUnit best = result.getErrors().get(0);
    for (OutputUnit unit : result.getErrors()) {
      if (pointer(unit.getInstanceLocation()).length() > pointer(best.getInstanceLocation()).length()) {
        best = unit;
      }
    }
    return best;
  }

  /** vertx-json-schema reports locations as URI fragments ("#/primary"); clients get plain JSON pointers. */
  static String pointer(String location) {
    if (location == null || location.equals("#")) {
      return "";
    }
    return location.startsWith("#") ? location.substring(1) : location;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("key", key)
      .put("description", description)
      .put("user_level", userLevel)
      .put("default", defaultValue)
      .put("schema", schema);
  }

  /** @param pointer a JSON pointer into the value ("" for the value itself) */
  public record Invalid(String pointer, String message) {
  }
}
