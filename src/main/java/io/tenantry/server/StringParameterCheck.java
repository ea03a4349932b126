package io.tenantry.server;

import io.vertx.core.json.JsonArray;
import io.vertx.json.schema.JsonSchema;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A string parameter's schema compiled once: the contract's path, query and header strings are all of the form
 * {@code type: string} with {@code minLength}, {@code maxLength}, {@code pattern} or {@code enum}. vertx-json-schema
 * interprets the schema for every value it validates (and compiles {@code pattern} every time), some microseconds a
 * parameter; this does the same checks directly.
 *
 * <p>It only ever says "valid" where the library would: a value it does not accept is handed to the library, which
 * decides and words the error, and a schema with any other keyword (format, $ref, ...) gets no check at all. Lengths
 * are taken both ways the JSON Schema specifications have been read (code points and UTF-16 units), so a value is
 * accepted here only when it fits under both readings.
 */
final class StringParameterCheck {
  /** Keywords that describe a schema without constraining a value. */
  private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "example", "examples",
    "deprecated", "readOnly", "writeOnly", "$comment");
  private static final Set<String> ASSERTIONS = Set.of("type", "minLength", "maxLength", "pattern", "enum");

  private final int minLength;
  private final int maxLength;
  private final Pattern pattern;
  private final Set<String> allowed;

  private StringParameterCheck(int minLength, int maxLength, Pattern pattern, Set<String> allowed) {
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.pattern = pattern;
    this.allowed = allowed;
  }

  /** The check for a schema of the form above, or none when the schema asks for anything else. */
  static Optional<StringParameterCheck> of(JsonSchema schema) {
    if (schema == null || !"string".equals(schema.get("type"))) {
      return Optional.empty();
    }
    for (String key : schema.fieldNames()) {
      if (!ASSERTIONS.contains(key) && !ANNOTATIONS.contains(key) && !key.startsWith("__")) {
        return Optional.empty(); // "__" keys are the library's own bookkeeping (the schema's absolute URI)
      }
    }
    Integer min = whole(schema.get("minLength"));
    Integer max = whole(schema.get("maxLength"));
    Object pattern = schema.get("pattern");
    Object values = schema.get("enum");
    if ((schema.containsKey("minLength") && min == null) || (schema.containsKey("maxLength") && max == null)
      || (schema.containsKey("pattern") && !(pattern instanceof String))
      || (schema.containsKey("enum") && !(values instanceof JsonArray))) {
      return Optional.empty();
    }
    Pattern compiled;
    try {
      compiled = pattern == null ? null : Pattern.compile((String) pattern);
    } catch (PatternSyntaxException e) {
      return Optional.empty(); // the library's own validation meets the same expression and reports it
    }
    Set<String> allowed = null;
    if (values != null) {
      allowed = new HashSet<>();
      for (Object value : (JsonArray) values) {
        if (value instanceof String text) {
          allowed.add(text); // a non-string member can never equal a string value
        }
      }
    }
    return Optional.of(new StringParameterCheck(min == null ? 0 : min, max == null ? Integer.MAX_VALUE : max,
      compiled, allowed));
  }

  /** Whether the library would accept this text too; false means "ask the library". */
  boolean accepts(String value) {
    if (value.length() > maxLength || (minLength > 0 && value.codePointCount(0, value.length()) < minLength)) {
      return false;
    }
    if (allowed != null && !allowed.contains(value)) {
      return false;
    }
    return pattern == null || pattern.matcher(value).find(); // JSON Schema patterns are not anchored
  }

  private static Integer whole(Object number) {
    if (number instanceof Integer || number instanceof Long) {
      long value = ((Number) number).longValue();
      return value >= 0 && value <= Integer.MAX_VALUE ? (int) value : null;
    }
    return null;
  }
}
