package io.tenantry.records;

import io.tenantry.audit.AuditActor;
import io.tenantry.audit.AuditHooks;
import io.tenantry.audit.AuditSealer;
import io.tenantry.auth.Caller;
import io.tenantry.idempotency.IdempotentCreation;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.http.StrictJson;
import io.tenantry.http.Uuids;
import io.tenantry.tenant.Tenant;
import io.tenantry.data.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
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
  private final RecordCheck check;

  private final AuditSealer sealer;

  public RecordEndpoints(TenantDb db, RecordStore store, RecordCheck check, AuditSealer sealer) {
    this.db = db;
    this.store = store;
    this.check = check;
    this.sealer = sealer;
  }

  /**
   * With an Idempotency-Key (the route's guard has taken it) the record's id is derived from the key, so a retry
   * after an unknown commit outcome finds the first attempt's record instead of creating a second one.
   */
  public void create(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String collection = collection(ctx);
    JsonObject data = body(ctx);
    String key = ctx.request().getHeader(IdempotentCreation.HEADER);
    Caller caller = Caller.of(ctx);
    boolean keyed = key != null && caller != null;
    UUID id = keyed ? KeyedRecordIds.of(tenant.id(), caller.principal(), collection, key) : Uuids.v7();
    Future<Record> created = check.check(tenant, collection, data)
      .compose(valid -> db.autocommit(tenant, conn -> store.insert(conn, tenant, collection, id, valid, audited(ctx, tenant))));
    Responses.when(ctx, keyed ? created.recover(failure -> appliedBefore(ctx, tenant, collection, id, failure)) : created,
      record -> {
        ctx.response().putHeader("Location", ctx.request().path() + "/" + record.id());
        send(ctx, 201, record);
      });
  }

  /** The keyed record exists already: an earlier attempt of this create was applied; answer with that record. */
  private Future<Record> appliedBefore(RoutingContext ctx, Tenant tenant, String collection, UUID id, Throwable failure) {
    if (!(failure instanceof PgException pg) || !"23505".equals(pg.getSqlState())) {
      return Future.failedFuture(failure);
    }
    return db.autocommit(tenant, conn -> store.get(conn, tenant, collection, id))
      .map(found -> found.orElseThrow(() -> Problem.conflict("a record created with this Idempotency-Key was deleted")))
      .onSuccess(record -> ctx.response().putHeader("Idempotent-Replayed", "true"));
  }

  public void get(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    String collection = collection(ctx);
    UUID id = id(ctx);
    Responses.when(ctx, db.autocommit(tenant, conn -> store.get(conn, tenant, collection, id))
      .map(found -> found.orElseThrow(RecordEndpoints::notFound)), record -> respond(ctx, 200, record));
  }

  /** The new data is checked before a connection is taken: a refused replacement holds no lock. */
  public void replace(RoutingContext ctx) {
    JsonObject data = body(ctx);
    Responses.when(ctx, check.check(Tenant.of(ctx), collection(ctx), data)
      .compose(valid -> underLock(ctx, (conn, current) -> store.update(conn, Tenant.of(ctx), current.collection(), current.id(), valid, audited(ctx, Tenant.of(ctx))))),
      record -> send(ctx, 200, record));
  }

  /** The merged result is what is checked, under the lock that makes it the record's next state. */
  public void patch(RoutingContext ctx) {
    JsonObject patch = body(ctx);
    modify(ctx, current -> check.check(Tenant.of(ctx), current.collection(), MergePatch.apply(current.data(), patch)));
  }

  public void delete(RoutingContext ctx) {
    Responses.when(ctx, underLock(ctx, (conn, current) -> store.delete(conn, Tenant.of(ctx), current.collection(), current.id(), audited(ctx, Tenant.of(ctx)))),
      v -> {
        AuditHooks.storedWithWrite(ctx);
        Responses.noContent(ctx);
      });
  }

  private void modify(RoutingContext ctx, Function<Record, Future<JsonObject>> change) {
    Responses.when(ctx, underLock(ctx, (conn, current) -> change.apply(current)
        .compose(data -> store.update(conn, Tenant.of(ctx), current.collection(), current.id(), data, audited(ctx, Tenant.of(ctx))))),
      record -> send(ctx, 200, record));
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

  /** The write's own audit entry goes in its statement; the sealer learns the tenant has new entries. */
  private AuditActor audited(RoutingContext ctx, Tenant tenant) {
    sealer.touched(tenant.id());
    return AuditActor.of(ctx);
  }

  /** A write that succeeded stored its entry: the after-response hook stores none (a failed one it does). */
  private static Future<Void> send(RoutingContext ctx, int status, Record record) {
    AuditHooks.storedWithWrite(ctx);
    return respond(ctx, status, record);
  }

  /** As a read answers: it has no entry to mark (the hook records a read only when it was refused or broke). */
  private static Future<Void> respond(RoutingContext ctx, int status, Record record) {
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

  /**
   * The body as an object. Only a JSON media type (or none) is read: those are the bodies {@link StrictJson} has
   * checked before any handler runs, and the merge-patch route is not validated against the contract's media types.
   */
  public static JsonObject body(RoutingContext ctx) {
    if (!StrictJson.isJson(ctx.request().getHeader("Content-Type"))) {
      throw Problem.of(415, "unsupported-media-type", "Unsupported media type",
        "send application/json (or application/merge-patch+json to patch)");
    }
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
