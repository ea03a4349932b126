package io.tenantry.load.baseline;

import io.tenantry.auth.Caller;
import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.http.Uuids;
import io.tenantry.records.IfMatch;
import io.tenantry.records.Record;
import io.tenantry.records.RecordEndpoints;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The records API of the single-tenant baseline: the same routes, parsing, JSON and problems as
 * {@link RecordEndpoints}, over one plain table ({@code baseline.records}, no tenant_id, no RLS) and one statement
 * per request straight on the pool — no tenant resolution, no tenant context, no per-tenant cap or limit.
 */
final class BaselineRecords {
  static final String TABLE = "baseline.records";
  static final String DDL = """
    CREATE SCHEMA IF NOT EXISTS baseline;
    CREATE TABLE IF NOT EXISTS baseline.records (
      collection text NOT NULL CHECK (collection ~ '^[a-z][a-z0-9_]{0,62}$'),
      id         uuid NOT NULL,
      version    bigint NOT NULL DEFAULT 1 CHECK (version > 0),
      data       jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (collection, id));
    """;
  private static final Set<String> WRITERS = Set.of(Caller.TENANT_ADMIN, Caller.MEMBER, Caller.SUPER_ADMIN);

  private final Pool pool;
  private final BaselineSql sql;

  BaselineRecords(Pool pool, BaselineSql sql) {
    this.pool = pool;
    this.sql = sql;
  }

  /** Any authenticated caller may read. */
  static void reader(RoutingContext ctx) {
    if (Caller.of(ctx) == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
    } else {
      ctx.next();
    }
  }

  static void writer(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
    } else if (!caller.holdsAny(WRITERS)) {
      ctx.fail(Problem.forbidden("your role does not allow this operation"));
    } else {
      ctx.next();
    }
  }

  void create(RoutingContext ctx) {
    String collection = RecordEndpoints.collection(ctx);
    JsonObject data = RecordEndpoints.body(ctx);
    one(pool, sql.insert(), sql.args(ctx, collection, Uuids.v7(), data), collection)
      .map(Optional::orElseThrow)
      .onSuccess(record -> {
        ctx.response().putHeader("Location", ctx.request().path() + "/" + record.id());
        send(ctx, 201, record);
      })
      .onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    String collection = RecordEndpoints.collection(ctx);
    UUID id = RecordEndpoints.id(ctx);
    one(pool, sql.get(), sql.args(ctx, collection, id), collection)
      .map(found -> found.orElseThrow(BaselineRecords::notFound))
      .onSuccess(record -> send(ctx, 200, record))
      .onFailure(ctx::fail);
  }

  void list(RoutingContext ctx) {
    String collection = RecordEndpoints.collection(ctx);
    int limit = Paging.limit(ctx);
    UUID after = Paging.after(ctx, "records:" + collection);
    Future<RowSet<Row>> rows = after == null
      ? pool.preparedQuery(sql.listFirst()).execute(sql.args(ctx, collection, limit + 1))
      : pool.preparedQuery(sql.listAfter()).execute(sql.args(ctx, collection, after, limit + 1));
    rows.onSuccess(set -> {
        List<Record> records = new ArrayList<>(set.size());
        set.forEach(row -> records.add(Record.from(row, collection)));
        Responses.json(ctx, 200, Paging.page(records, limit, "records:" + collection, Record::id, Record::toJson));
      })
      .onFailure(ctx::fail);
  }

  /** Read-check-write under a row lock, as the multi-tenant server does it. */
  void replace(RoutingContext ctx) {
    String collection = RecordEndpoints.collection(ctx);
    UUID id = RecordEndpoints.id(ctx);
    JsonObject data = RecordEndpoints.body(ctx);
    IfMatch precondition = IfMatch.parse(ctx.request().getHeader("If-Match"));
    pool.withTransaction(conn -> one(conn, sql.lock(), sql.args(ctx, collection, id), collection).compose(found -> {
        Record current = found.orElseThrow(BaselineRecords::notFound);
        precondition.check(current.version());
        return one(conn, sql.update(), sql.args(ctx, collection, id, data), collection).map(Optional::orElseThrow);
      }))
      .onSuccess(record -> send(ctx, 200, record))
      .onFailure(ctx::fail);
  }

  private static Future<Optional<Record>> one(SqlClient client, String sql, Tuple args, String collection) {
    return client.preparedQuery(sql).execute(args)
      .map(set -> set.size() == 0 ? Optional.empty() : Optional.of(Record.from(set.iterator().next(), collection)));
  }

  private static Future<Void> send(RoutingContext ctx, int status, Record record) {
    ctx.response().putHeader("ETag", record.etag());
    return Responses.json(ctx, status, record.toJson());
  }

  private static Problem notFound() {
    return Problem.notFound("no such record");
  }
}
