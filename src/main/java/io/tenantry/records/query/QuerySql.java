package io.tenantry.records.query;

import io.tenantry.data.TenantDb;
import io.tenantry.tenant.Tenant;
import io.vertx.sqlclient.Tuple;

import static io.tenantry.db.SqlIdentifiers.quoteIdent;

/**
 * Builds a {@link RecordQuery}'s statements on the tenant's records table. Like every tenant statement they take the
 * tenant id as $1 (the key and the statement's own context, {@link TenantDb#CONTEXT}) and the collection as $2; the
 * rest is the filter grammar's fixed fragments with bound parameters: field paths as text[], values as text cast to
 * jsonb or timestamptz. The only text taken from the request is what the grammar allows, as parameters.
 */
public final class QuerySql {
  public static final String COLUMNS = "id, version, data, created_at, updated_at";
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
    String select = "SELECT " + COLUMNS + (sortKey == null ? "" : ", (" + sortKey + ")::text AS sort_key") + " FROM "
      + table(tenant) + " WHERE ";
    where(b, q);
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
    where(b, q);
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
    where(b, q);
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

  private static void where(SqlBuilder b, RecordQuery q) {
    b.append("tenant_id = $1 AND collection = $2 AND " + TenantDb.CONTEXT);
    for (Filter f : q.filters()) {
      b.append(" AND ").append(clause(b, f));
    }
  }

  static String clause(SqlBuilder b, Filter f) {
    String x = field(b, f.field());
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
