package io.tenantry.records;

import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.http.Uuids;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.UUID;
import java.util.regex.Pattern;

/** /api/v1/collections/{collection}/records: tenant-scoped JSON documents. */
public final class RecordEndpoints {
  public static final Pattern COLLECTION = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final TenantDb db;
  private final RecordStore store;

  public RecordEndpoints(TenantDb db, RecordStore store) {
    this.db = db;
    this.store = store;
  }

  public void create(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String collection = collection(ctx);
    JsonObject data = body(ctx);
    db.autocommit(tenant, conn -> store.insert(conn, tenant, collection, Uuids.v7(), data))
      .onSuccess(record -> {
        ctx.response().putHeader("Location", ctx.request().path() + "/" + record.id());
        send(ctx, 201, record);
      })
      .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String collection = collection(ctx);
    UUID id = id(ctx);
    db.autocommit(tenant, conn -> store.get(conn, tenant, collection, id))
      .map(found -> found.orElseThrow(RecordEndpoints::notFound))
      .onSuccess(record -> send(ctx, 200, record))
      .onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String collection = collection(ctx);
    int limit = Paging.limit(ctx);
    UUID after = Paging.after(ctx, "records:" + collection);
    db.autocommit(tenant, conn -> store.list(conn, tenant, collection, after, limit + 1))
      .onSuccess(records -> {
        Responses.json(ctx, 200, Paging.page(records, limit, "records:" + collection, Record::id, Record::toJson));
      })
      .onFailure(ctx::fail);
  }

  public void replace(RoutingContext ctx) {
    JsonObject data = body(ctx);
    modify(ctx, current -> data);
  }

  public void patch(RoutingContext ctx) {
    JsonObject patch = body(ctx);
    modify(ctx, current -> MergePatch.apply(current.data(), patch));
  }

  public void delete(RoutingContext ctx) {
    underLock(ctx, (conn, current) -> store.delete(conn, Tenant.of(ctx), current.collection(), current.id()))
      .onSuccess(v -> Responses.noContent(ctx))
      .onFailure(ctx::fail);
  }

  private void modify(RoutingContext ctx, Function<Record, JsonObject> change) {
    underLock(ctx, (conn, current) -> store.update(conn, Tenant.of(ctx), current.collection(), current.id(), change.apply(current)))
      .onSuccess(record -> send(ctx, 200, record))
      .onFailure(ctx::fail);
  }

  /**
   * Locks the addressed record (SELECT ... FOR UPDATE), checks If-Match against it and runs the write, all in one
   * transaction, so a concurrent writer cannot slip between the precondition and the write.
   */
  private <T> Future<T> underLock(RoutingContext ctx, BiFunction<SqlConnection, Record, Future<T>> write) {
    Tenant tenant = Tenant.of(ctx);
    String collection = collection(ctx);
    UUID id = id(ctx);
    IfMatch precondition = IfMatch.parse(ctx.request().getHeader("If-Match"));
    return db.withTenant(tenant, conn -> store.lock(conn, tenant, collection, id).compose(found -> {
      Record current = found.orElseThrow(RecordEndpoints::notFound);
      precondition.check(current.version());
      return write.apply(conn, current);
    }));
  }

  private static Future<Void> send(RoutingContext ctx, int status, Record record) {
    ctx.response().putHeader("ETag", record.etag());
    return Responses.json(ctx, status, record.toJson());
  }

  public static String collection(RoutingContext ctx) {
    String collection = ctx.pathParam("collection");
    if (collection == null || !COLLECTION.matcher(collection).matches()) {
      throw Problem.badRequest("collection names must match " + COLLECTION.pattern());
    }
    return collection;
  }

  public static UUID id(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("id"));
    } catch (IllegalArgumentException e) {
      throw Problem.badRequest("record ids are UUIDs");
    }
  }

  public static JsonObject body(RoutingContext ctx) {
    Object json;
    try {
      json = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    if (json == null) {
      throw Problem.badRequest("the body must be a JSON object");
    }
    return (JsonObject) json;
  }

  private static Problem notFound() {
    return Problem.notFound("no such record");
  }
}
