package io.tenantry.records.query;

import io.tenantry.http.Problem;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a filter, a sort or an index names: a record's {@code created_at} / {@code updated_at}, or a path into its
 * data ({@code customer.id}, {@code items.0.sku}). Path segments are letters, digits, {@code _} and {@code -} only:
 * a path is bound as a {@code text[]} parameter in queries, and the same strict shape is what lets an index's DDL
 * (which cannot take parameters) quote it as a literal safely.
 */
public record FieldRef(String text, Kind kind, List<String> segments) {
  public enum Kind { DATA, CREATED_AT, UPDATED_AT }

  public static final int MAX_DEPTH = 8;
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public static FieldRef parse(String text, String parameter) {
    if ("created_at".equals(text)) {
      return new FieldRef(text, Kind.CREATED_AT, List.of());
    }
    if ("updated_at".equals(text)) {
      return new FieldRef(text, Kind.UPDATED_AT, List.of());
    }
    List<String> segments = text == null ? List.of() : List.of(text.split("\\.", -1));
    if (segments.isEmpty() || segments.size() > MAX_DEPTH
      || !segments.stream().allMatch(s -> SEGMENT.matcher(s).matches())) {
      throw Problem.badRequest(parameter + ": a field is created_at, updated_at or a data path of up to " + MAX_DEPTH
        + " dot-separated names of letters, digits, _ and - (such as customer.id)");
    }
    return new FieldRef(text, Kind.DATA, segments);
  }

  public boolean data() {
    return kind == Kind.DATA;
  }

  /** The path as a PostgreSQL array value: bound as text[] in queries. */
  public String[] pathArray() {
    return segments.toArray(String[]::new);
  }

  /**
   * The SQL expression of the field: a data path is the jsonb at the path, JSON null when absent (so every record
   * has a sort key and keyset paging needs no NULL cases); {@code placeholder} is the path's parameter, or for an
   * index's DDL the path's literal.
   */
  public String sql(String placeholder) {
    return switch (kind) {
      case CREATED_AT -> "created_at";
      case UPDATED_AT -> "updated_at";
      case DATA -> "COALESCE(data #> " + placeholder + "::text[], 'null'::jsonb)";
    };
  }

  /** The SQL type the field's values are bound as (as text, then cast). */
  public String type() {
    return data() ? "jsonb" : "timestamptz";
  }
}
