package io.tenantry.records.query;

import io.tenantry.data.TenantDb;
import io.tenantry.http.Problem;
import io.tenantry.records.Record;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs record list queries. A plain creation-order page is one autocommit statement, as the records list always
 * was. A filtered, sorted or counted one runs in a transaction of the tenant's (so the tenant's own statement
 * timeout applies) that forces custom plans (a shared-tier statement's text is the same for every tenant, and a
 * generic plan, which cannot see the bound path, would match no tenant's collection index) and first asks the planner
 * whether the page would read a declared index; if not, and the collection holds more than
 * {@code records.max-rows-scanned} records, the query is refused with 422 naming the index that would serve it.
 */
public final class RecordQueries {
  private static final String CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan";

  private final TenantDb db;
  private final CursorSigner signer;
  private final long maxRowsScanned;
  private final int countExactLimit;

  public RecordQueries(TenantDb db, CursorSigner signer, long maxRowsScanned, int countExactLimit) {
    this.db = db;
    this.signer = signer;
    this.maxRowsScanned = maxRowsScanned;
    this.countExactLimit = countExactLimit;
  }

  public CursorSigner signer() {
    return signer;
  }

  /** The response body: items, next_cursor and, when asked for, count {value, exact}. */
  public Future<JsonObject> page(Tenant tenant, RecordQuery q) {
    int fetch = q.limit() + 1;
    QuerySql.Statement page = QuerySql.page(tenant, q, fetch);
    if (q.plain()) {
      return db.autocommit(tenant, conn -> run(conn, page)).map(rows -> body(tenant, q, rows, null))
        .recover(RecordQueries::storedValueProblem);
    }
    return db.withTenant(tenant, conn -> {
      conn.query(CUSTOM_PLANS).execute();
      return guard(conn, tenant, q, fetch)
        .compose(v -> {
          Future<RowSet<Row>> rows = run(conn, page);
          Future<JsonObject> count = q.count() ? count(conn, tenant, q) : Future.succeededFuture(null);
          return Future.all(rows, count).map(done -> body(tenant, q, rows.result(), count.result()));
        });
    }).recover(RecordQueries::storedValueProblem);
  }

  private static Future<RowSet<Row>> run(SqlClient conn, QuerySql.Statement statement) {
    return conn.preparedQuery(statement.sql()).execute(statement.params());
  }

  private Future<Void> guard(SqlConnection conn, Tenant tenant, RecordQuery q, int fetch) {
    if (q.filters().isEmpty() && q.sort().byId()) {
      return Future.succeededFuture(); // a count alone: bounded by records.count-exact-limit
    }
    Future<RowSet<Row>> plan = run(conn, QuerySql.explainPage(tenant, q, fetch));
    Future<RowSet<Row>> size = run(conn, QuerySql.explainCollection(tenant, q.collection()));
    return Future.all(plan, size).compose(done -> {
      long collection = Plans.rows(size.result());
      if (collection <= maxRowsScanned || Plans.usesDeclaredIndex(Plans.root(plan.result()), !q.sort().byId())) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(unindexed(tenant, q, collection));
    });
  }

  private Problem unindexed(Tenant tenant, RecordQuery q, long collection) {
    FieldRef field = q.sort().byId() ? narrowest(q.filters()) : q.sort().field();
    String name = suggestedName(field);
    String route = "/admin/v1/tenants/" + tenant.slug() + "/collections/" + q.collection() + "/indexes/" + name;
    return Problem.of(422, "unindexed-query", "The query needs an index",
        "this filter or sort would read about " + collection + " records of collection " + q.collection()
          + " (more than records.max-rows-scanned, " + maxRowsScanned + ") because no index serves it; a tenant admin "
          + "can declare one: PUT " + route + " {\"field\": \"" + field.text() + "\"}")
      .withMembers(new JsonObject().put("estimated_rows", collection).put("max_rows_scanned", maxRowsScanned)
        .put("suggested_index", new JsonObject().put("path", route).put("field", field.text())));
  }

  /** An equality narrows best; else the first clause's field. */
  private static FieldRef narrowest(List<Filter> filters) {
    return filters.stream().filter(f -> f.op() == Operator.EQ || f.op() == Operator.IN).findFirst()
      .orElse(filters.get(0)).field();
  }

  static String suggestedName(FieldRef field) {
    String name = field.text().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    name = Character.isLetter(name.charAt(0)) ? name : "f_" + name;
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  private Future<JsonObject> count(SqlConnection conn, Tenant tenant, RecordQuery q) {
    Future<RowSet<Row>> exact = run(conn, QuerySql.count(tenant, q, countExactLimit + 1));
    Future<RowSet<Row>> estimate = run(conn, QuerySql.explainMatching(tenant, q));
    return Future.all(exact, estimate).map(done -> {
      long counted = exact.result().iterator().next().getLong(0);
      if (counted <= countExactLimit) {
        return new JsonObject().put("value", counted).put("exact", true);
      }
      return new JsonObject().put("value", Math.max(counted, Plans.rows(estimate.result()))).put("exact", false);
    });
  }

  private JsonObject body(Tenant tenant, RecordQuery q, RowSet<Row> rows, JsonObject count) {
    List<Row> fetched = new ArrayList<>(rows.size());
    rows.forEach(fetched::add);
    List<Row> shown = fetched.subList(0, Math.min(q.limit(), fetched.size()));
    JsonArray items = new JsonArray();
    for (Row row : shown) {
      Record record = Record.from(row, q.collection());
      JsonObject json = record.toJson();
      if (q.projection() != null) {
        json.put("data", q.projection().apply(record.data()));
      }
      items.add(json);
    }
    String next = null;
    if (fetched.size() > q.limit()) {
      Row last = shown.get(shown.size() - 1);
      JsonObject position = new JsonObject().put("i", last.getUUID("id").toString());
      if (!q.sort().byId()) {
        position.put("k", last.getString("sort_key"));
      }
      next = signer.sign(RecordQuery.scope(tenant.id(), q.collection(), q.filters(), q.sort()), position);
    }
    JsonObject body = new JsonObject().put("items", items).put("next_cursor", next);
    if (count != null) {
      body.put("count", count);
    }
    return body;
  }

  /** A stored string that looks like an RFC 3339 timestamp but is not a valid one (2026-02-30...). */
  private static Future<JsonObject> storedValueProblem(Throwable failure) {
    if (failure instanceof PgException pg && ("22008".equals(pg.getSqlState()) || "22007".equals(pg.getSqlState()))) {
      return Future.failedFuture(Problem.of(422, "unreadable-timestamp", "A stored value is not a valid timestamp",
        "a record's value at a filtered path looks like an RFC 3339 timestamp but is not a valid one; a time range "
          + "cannot compare it"));
    }
    return Future.failedFuture(failure);
  }
}
