package io.tenantry.records.query;

import io.tenantry.http.Problem;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code filter[<field>]=v} and {@code filter[<field>][<op>]=v} query parameters into {@link Filter}s (ANDed).
 * A value is typed the way JSON would read it: a number, {@code true}, {@code false} and {@code null} are those JSON
 * values; a double-quoted value is a JSON string ({@code "100"} is the string, {@code 100} the number); anything
 * else is a string. A range on a string that is an RFC 3339 timestamp compares times, not text. Anything outside
 * this grammar is a 400 naming the parameter.
 */
public final class FilterParser {
  public static final String PREFIX = "filter[";
  public static final int MAX_CLAUSES = 20;
  public static final int MAX_IN = 100;
  public static final int MAX_VALUE_LENGTH = 1_000;
  private static final Pattern NAME = Pattern.compile("filter\\[([^\\[\\]]{1,600})\\](?:\\[([a-z]{1,10})\\])?");
  private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d{0,30})(\\.\\d{1,30})?([eE][+-]?\\d{1,3})?");

  private FilterParser() {
  }

  public static boolean isFilter(String name) {
    return name.startsWith(PREFIX);
  }

  public static List<Filter> parse(MultiMap params) {
    List<Filter> filters = new ArrayList<>();
    for (String name : params.names()) {
      if (!isFilter(name)) {
        continue;
      }
      List<String> values = params.getAll(name);
      String shown = Echo.name(name);
      if (values.size() != 1) {
        throw Problem.badRequest(shown + " is given more than once; combine values with [in]");
      }
      filters.add(clause(name, shown, values.get(0)));
    }
    if (filters.size() > MAX_CLAUSES) {
      throw Problem.badRequest("at most " + MAX_CLAUSES + " filter parameters");
    }
    filters.sort(java.util.Comparator.comparing(Filter::canonical)); // the same query whatever the parameter order
    return filters;
  }

  static Filter clause(String name, String shown, String raw) {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      throw Problem.badRequest(shown + ": a filter is filter[<field>]=value or filter[<field>][<op>]=value, op one of "
        + Operator.all());
    }
    FieldRef field = FieldRef.parse(m.group(1), shown);
    Operator op = m.group(2) == null ? Operator.EQ : Operator.named(m.group(2)).orElseThrow(() ->
      Problem.badRequest(shown + ": unknown operator " + m.group(2) + "; operators: " + Operator.all()));
    if (raw.length() > MAX_VALUE_LENGTH) {
      throw Problem.badRequest(shown + ": values are at most " + MAX_VALUE_LENGTH + " characters");
    }
    return field.data() ? onData(field, op, shown, raw) : onTimestamp(field, op, shown, raw);
  }

  private static Filter onTimestamp(FieldRef field, Operator op, String shown, String raw) {
    return switch (op) {
      case EQ -> new Filter(field, op, Filter.ValueType.TIMESTAMP, List.of(timestamp(shown, raw)));
      case IN -> new Filter(field, op, Filter.ValueType.TIMESTAMP, list(shown, raw).stream().map(v -> timestamp(shown, v)).toList());
      case GT, GTE, LT, LTE -> new Filter(field, op, Filter.ValueType.TIMESTAMP, List.of(timestamp(shown, raw)));
      default -> throw Problem.badRequest(shown + ": " + field.text() + " takes eq, in, gt, gte, lt and lte");
    };
  }

  private static Filter onData(FieldRef field, Operator op, String shown, String raw) {
    return switch (op) {
      case EQ -> new Filter(field, op, Filter.ValueType.JSON, List.of(scalar(raw)));
      case IN -> new Filter(field, op, Filter.ValueType.JSON, list(shown, raw).stream().map(FilterParser::scalar).toList());
      case GT, GTE, LT, LTE -> range(field, op, shown, raw);
      case EXISTS -> {
        if (!raw.equals("true") && !raw.equals("false")) {
          throw Problem.badRequest(shown + ": exists takes true or false");
        }
        yield new Filter(field, op, Filter.ValueType.BOOLEAN, List.of(raw));
      }
      case CONTAINS -> {
        try {
          yield new Filter(field, op, Filter.ValueType.JSON, List.of(Json.encode(Json.decodeValue(raw))));
        } catch (DecodeException e) {
          throw Problem.badRequest(shown + ": contains takes a JSON value, such as {\"id\":\"a\"} or [\"x\"]");
        }
      }
      case PREFIX -> {
        String text = text(raw);
        if (text == null || text.isEmpty()) {
          throw Problem.badRequest(shown + ": prefix takes a non-empty string");
        }
        yield new Filter(field, op, Filter.ValueType.STRING, List.of(text));
      }
    };
  }

  private static Filter range(FieldRef field, Operator op, String shown, String raw) {
    if (NUMBER.matcher(raw).matches()) {
      return new Filter(field, op, Filter.ValueType.NUMBER, List.of(raw));
    }
    String text = text(raw);
    if (text == null) {
      throw Problem.badRequest(shown + ": " + op.wire() + " compares numbers, strings or RFC 3339 timestamps");
    }
    Optional<String> time = rfc3339(text);
    return time.map(t -> new Filter(field, op, Filter.ValueType.TIMESTAMP, List.of(t)))
      .orElseGet(() -> new Filter(field, op, Filter.ValueType.STRING, List.of(Json.encode(text))));
  }

  /** The value as JSON text: a number, true, false, null or a JSON string stay what they are; else a string. */
  static String scalar(String raw) {
    if (NUMBER.matcher(raw).matches() || raw.equals("true") || raw.equals("false") || raw.equals("null")) {
      return raw;
    }
    String text = text(raw);
    if (text == null) {
      throw Problem.badRequest("a quoted filter value must be one JSON string");
    }
    return Json.encode(text);
  }

  /** A plain or double-quoted string's text; null for true/false/null/numbers and malformed quotes. */
  private static String text(String raw) {
    if (raw.startsWith("\"")) {
      try {
        return Json.decodeValue(raw) instanceof String s ? s : null;
      } catch (DecodeException e) {
        return null;
      }
    }
    return raw.equals("true") || raw.equals("false") || raw.equals("null") ? null : raw;
  }

  /** A JSON array ({@code ["a,b","c"]}), else comma-separated values. */
  private static List<String> list(String shown, String raw) {
    List<String> items = new ArrayList<>();
    if (raw.startsWith("[")) {
      try {
        for (Object item : new JsonArray(raw)) {
          if (item instanceof java.util.Map || item instanceof java.util.List || item instanceof JsonArray
            || item instanceof io.vertx.core.json.JsonObject) {
            throw Problem.badRequest(shown + ": in takes scalar values");
          }
          items.add(item instanceof String s ? Json.encode(s) : String.valueOf(item));
        }
      } catch (DecodeException e) {
        throw Problem.badRequest(shown + ": in takes comma-separated values or a JSON array");
      }
      return checked(shown, items);
    }
    return checked(shown, List.of(raw.split(",", -1)));
  }

  /** JSON array items are JSON text already, which scalar() keeps as it is; plain items are typed by it. */
  private static List<String> checked(String shown, List<String> items) {
    if (items.isEmpty() || items.size() > MAX_IN) {
      throw Problem.badRequest(shown + ": in takes 1 to " + MAX_IN + " values");
    }
    return items;
  }

  private static String timestamp(String shown, String raw) {
    return rfc3339(raw.startsWith("\"") ? text(raw) == null ? raw : text(raw) : raw).orElseThrow(() ->
      Problem.badRequest(shown + ": takes RFC 3339 timestamps such as 2026-11-30T12:00:00Z"));
  }

  /** Normalized to UTC, so the bound text reads the same whatever the client's offset. */
  private static Optional<String> rfc3339(String text) {
    if (text == null || text.length() < 20 || text.charAt(10) != 'T' && text.charAt(10) != 't') {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toString());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
