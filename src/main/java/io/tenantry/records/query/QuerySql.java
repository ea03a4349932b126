package io.tenantry.records.query;

import io.tenantry.data.TenantDb;
import io.tenantry.records.Record;
import io.tenantry.tenant.Tenant;
import io.vertx.core.json.Json;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Builds a {@link RecordQuery}'s statements on the tenant's records table. Like every tenant statement they take the
 * tenant id as $1 (the key and the statement's own context, {@link TenantDb#CONTEXT}) and the collection as $2; the
 * rest is the filter grammar's fixed fragments with bound parameters: field paths as text[], values as text cast to
 * jsonb, numeric or timestamptz. The only text taken from the request is what the grammar allows, as parameters.
 * Filters a declared index can serve are written on the tenant's leakproof field functions ({@link FieldFunctions}),
 * the only way an index condition survives forced row-level security.
 */
public final class QuerySql {
  /** An RFC 3339 timestamp in a JSON string (a constant of this class, never client text). */
  private static final String RFC3339 = "'^\\d{4}-\\d{2}-\\d{2}[Tt ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?([Zz]|[+-]\\d{2}:\\d{2})$'";

  /** A statement and its parameters. */
  public record Statement(String sql, Tuple params) {
  }

  private QuerySql() {
  }

  private static String table(Tenant tenant) {
    return quoteIdent(tenant.schema()) + ".records";
  }

  /** The page: up to limit + 1 records (the extra one says another page exists), with the sort key when sorted. */
  public static Statement page(Tenant tenant, RecordQuery q, int fetch) {
    SqlBuilder b = start(tenant, q);
    String sortKey = sortExpression(b, q.sort());
    String select = "SELECT " + Record.COLUMNS + (sortKey == null ? "" : ", (" + sortKey + ")::text AS sort_key") + " FROM "
      + table(tenant) + " WHERE ";
    where(b, tenant, q);
    String direction = q.sort().descending() ? " DESC" : " ASC";
    String compare = q.sort().descending() ? " < " : " > ";
    if (q.afterId() != null) {
      if (sortKey == null) {
        b.append(" AND id" + compare + b.bind(q.afterId()) + "::uuid");
      } else {
        b.append(" AND (" + sortKey + ", id)" + compare + "(" + b.bind(q.afterKey()) + "::text::" + q.sort().field().type()
          + ", " + b.bind(q.afterId()) + "::uuid)");
      }
    }
    b.append(" ORDER BY " + (sortKey == null ? "" : sortKey + direction + ", ") + "id" + direction);
    b.append(" LIMIT " + b.bind(fetch));
    return new Statement(select + b.sql(), b.params());
  }

  /** The number of matching records, counting no further than {@code bound}. */
  public static Statement count(Tenant tenant, RecordQuery q, int bound) {
    SqlBuilder b = start(tenant, q);
    where(b, tenant, q);
    b.append(" LIMIT " + b.bind(bound));
    return new Statement("SELECT count(*) FROM (SELECT 1 FROM " + table(tenant) + " WHERE " + b.sql() + ") matching",
      b.params());
  }

  /** The planner's view of the page statement (is an index used?). */
  public static Statement explainPage(Tenant tenant, RecordQuery q, int fetch) {
    Statement page = page(tenant, q, fetch);
    return new Statement("EXPLAIN (FORMAT JSON) " + page.sql(), page.params());
  }

  /** The planner's estimate of the matching records. */
  public static Statement explainMatching(Tenant tenant, RecordQuery q) {
    SqlBuilder b = start(tenant, q);
    where(b, tenant, q);
    return new Statement("EXPLAIN (FORMAT JSON) SELECT 1 FROM " + table(tenant) + " WHERE " + b.sql(), b.params());
  }

  /** The planner's estimate of the collection's records: what an unindexed filter or sort reads. */
  public static Statement explainCollection(Tenant tenant, String collection) {
    return new Statement("EXPLAIN (FORMAT JSON) SELECT 1 FROM " + table(tenant) + " WHERE tenant_id = $1 AND collection = $2",
      Tuple.of(tenant.id(), collection));
  }

  private static SqlBuilder start(Tenant tenant, RecordQuery q) {
    SqlBuilder b = new SqlBuilder();
    b.bind(tenant.id());
    b.bind(q.collection());
    return b;
  }

  private static String sortExpression(SqlBuilder b, SortSpec sort) {
    return sort.byId() ? null : field(b, sort.field());
  }

  private static String field(SqlBuilder b, FieldRef field) {
    return field.sql(field.data() ? b.bind(field.pathArray()) : null);
  }

  private static void where(SqlBuilder b, Tenant tenant, RecordQuery q) {
    b.append("tenant_id = $1 AND collection = $2 AND " + TenantDb.CONTEXT);
    FieldFunctions functions = FieldFunctions.of(tenant);
    for (Filter f : q.filters()) {
      b.append(" AND ").append(clause(b, f, functions));
    }
  }

  /** The clause as written without the field functions (a tenant not migrated to them yet). */
  static String clause(SqlBuilder b, Filter f) {
    return clause(b, f, null);
  }

  /**
   * A filter's clause. With the tenant's field functions, a clause a declared index can serve is written on them
   * (leakproof, so an index condition under forced row-level security): strings, and prefixes as a code point range,
   * exactly; numbers as a range or equality of their float8 keys (monotonic, so implied by the exact comparison)
   * ANDed with the exact jsonb comparison, which then filters the index's candidates; timestamps exactly. Booleans,
   * null, mixed in-lists, exists and contains stay jsonb comparisons, filtered after the policy.
   */
  static String clause(SqlBuilder b, Filter f, FieldFunctions functions) {
    String path = f.field().data() ? b.bind(f.field().pathArray()) : null;
    String x = f.field().sql(path);
    if (functions == null || path == null) {
      return exact(b, f, x);
    }
    return switch (f.op()) {
      case EQ -> equality(b, f, x, functions, path);
      case IN -> in(b, f, x, functions, path);
      case GT, GTE, LT, LTE -> switch (f.type()) {
        case NUMBER -> "(" + functions.number(path) + (f.op() == Operator.GT || f.op() == Operator.GTE ? " >= " : " <= ")
          + functions.numberKey(b.bind(f.value())) + " AND " + exact(b, f, x) + ")";
        case STRING -> functions.text(path) + " " + f.op().sqlComparison() + " " + b.bind(string(f.value())) + "::text";
        case TIMESTAMP -> functions.time(path) + " " + f.op().sqlComparison() + " " + value(b, f, "timestamptz");
        default -> exact(b, f, x);
      };
      case PREFIX -> prefix(b, f.value(), functions.text(path));
      case EXISTS, CONTAINS -> exact(b, f, x);
    };
  }

  private static String equality(SqlBuilder b, Filter f, String x, FieldFunctions functions, String path) {
    Object value = Json.decodeValue(f.value());
    if (value instanceof String s) {
      return functions.text(path) + " = " + b.bind(s) + "::text";
    }
    if (value instanceof Number) {
      return "(" + functions.number(path) + " = " + functions.numberKey(b.bind(f.value())) + " AND " + exact(b, f, x) + ")";
    }
    return exact(b, f, x);
  }

  private static String in(SqlBuilder b, Filter f, String x, FieldFunctions functions, String path) {
    List<Object> values = f.values().stream().map(v -> Json.decodeValue(v)).toList();
    if (values.stream().allMatch(v -> v instanceof String)) {
      return functions.text(path) + " = ANY(" + b.bind(values.stream().map(String.class::cast).toArray(String[]::new))
        + "::text[])";
    }
    if (values.stream().allMatch(v -> v instanceof Number)) {
      List<String> keys = new ArrayList<>();
      for (String v : f.values()) {
        keys.add(functions.numberKey(b.bind(v)));
      }
      return "(" + functions.number(path) + " = ANY(ARRAY[" + String.join(", ", keys) + "]) AND " + exact(b, f, x) + ")";
    }
    return exact(b, f, x);
  }

  /**
   * The strings starting with p are exactly those from p up to (not including) p with its last code point raised by
   * one, in code point order (the C collation): an index range. starts_with (leakproof too) states it plainly, and
   * alone bounds a prefix of U+10FFFF only, which has no such successor.
   */
  private static String prefix(SqlBuilder b, String p, String text) {
    String start = b.bind(p);
    String successor = successor(p);
    return "(" + text + " >= " + start + "::text" + (successor == null ? "" : " AND " + text + " < " + b.bind(successor) + "::text")
      + " AND starts_with(" + text + ", " + start + "::text))";
  }

  /** The least string above every string starting with p, in code point order; null when there is none. */
  static String successor(String p) {
    int[] points = p.codePoints().toArray();
    for (int i = points.length - 1; i >= 0; i--) {
      int next = points[i] + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : points[i] + 1;
      if (next <= Character.MAX_CODE_POINT) {
        return new String(points, 0, i) + Character.toString(next);
      }
    }
    return null;
  }

  private static String string(String json) {
    return (String) Json.decodeValue(json);
  }

  /** The clause on the jsonb expression (every operator; what a filter without the field functions is). */
  private static String exact(SqlBuilder b, Filter f, String x) {
    String type = f.field().type();
    return switch (f.op()) {
      case EQ -> x + " = " + value(b, f, type);
      case IN -> x + " = ANY(" + b.bind(f.values().toArray(String[]::new)) + "::text[]::" + type + "[])";
      case GT, GTE, LT, LTE -> range(b, f, x);
      case EXISTS -> x + (f.value().equals("true") ? " <> " : " = ") + "'null'::jsonb";
      case CONTAINS -> x + " @> " + b.bind(f.value()) + "::text::jsonb";
      case PREFIX -> "(jsonb_typeof(" + x + ") = 'string' AND starts_with(" + x + " #>> '{}', " + b.bind(f.value()) + "::text))";
    };
  }

  private static String value(SqlBuilder b, Filter f, String type) {
    return b.bind(f.value()) + "::text::" + type;
  }

  private static String range(SqlBuilder b, Filter f, String x) {
    String op = " " + f.op().sqlComparison() + " ";
    if (!f.field().data()) {
      return x + op + value(b, f, "timestamptz");
    }
    return switch (f.type()) {
      case NUMBER -> "(jsonb_typeof(" + x + ") = 'number' AND " + x + op + value(b, f, "jsonb") + ")";
      case STRING -> "(jsonb_typeof(" + x + ") = 'string' AND " + x + op + value(b, f, "jsonb") + ")";
      case TIMESTAMP -> "(CASE WHEN jsonb_typeof(" + x + ") = 'string' AND (" + x + " #>> '{}') ~ " + RFC3339 + " THEN ("
        + x + " #>> '{}')::timestamptz END)" + op + value(b, f, "timestamptz");
      default -> throw new IllegalStateException("no range over " + f.type());
    };
  }
}
