package io.tenantry.records.indexes;

import io.tenantry.auth.Caller;
import io.tenantry.config.Config;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.records.RecordEndpoints;
import io.tenantry.records.query.FieldRef;
import io.tenantry.tenant.Tenant;
import io.tenantry.admin.Delegation;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * /admin/v1/tenants/{slug}/collections/{collection}/indexes[/{name}]: indexes a tenant admin declares on a records
 * collection's fields. PUT declares one and answers 202 while it builds (off the request path, {@link IndexBuilder});
 * its status shows in the listing. For the tenant's tenant_admin while it is active, and for super-admins; anyone
 * else gets 403 whether or not the tenant exists.
 */
public final class IndexEndpoints {
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
  static final int MAX_PER_COLLECTION = 10;

  private final Delegation delegation;
  private final IndexStore store;
  private final IndexBuilder builder;

  private IndexEndpoints(TenantStore tenants, IndexStore store, IndexBuilder builder) {
    this.delegation = new Delegation(tenants);
    this.store = store;
    this.builder = builder;
  }

  public static IndexEndpoints create(Vertx vertx, Config config, Pool platformPool, TenantStore tenants) {
    IndexStore store = new IndexStore(platformPool);
    return new IndexEndpoints(tenants, store, new IndexBuilder(vertx, config, store, tenants));
  }

  public IndexBuilder builder() {
    return builder;
  }

  public void put(RoutingContext ctx) {
    String collection = RecordEndpoints.collection(ctx);
    String name = name(ctx);
    JsonObject body = ctx.body().asJsonObject();
    String text = body == null ? null : body.getString("field");
    FieldRef field = FieldRef.parse(text, "field");
    Responses.when(ctx, administered(ctx).compose(tenant -> store.list(tenant.id(), collection).compose(existing -> {
      Optional<IndexDeclaration> same = existing.stream().filter(d -> d.name().equals(name)).findFirst();
      if (same.isPresent()) {
        return same.get().field().equals(field.text()) && !"dropping".equals(same.get().status())
          ? Future.succeededFuture(new Outcome(200, same.get()))
          : Future.failedFuture(Problem.conflict("index " + name + " exists on another field (or is being dropped); "
            + "DELETE it first"));
      }
      if (existing.size() >= MAX_PER_COLLECTION) {
        return Future.failedFuture(Problem.conflict("a collection has at most " + MAX_PER_COLLECTION + " indexes"));
      }
      String indexName = IndexDdl.indexName(tenant.id(), collection, name, field.text());
      return store.insert(tenant.id(), collection, name, field.text(), indexName).map(inserted -> {
        IndexDeclaration declared = inserted.orElseThrow(() -> Problem.conflict("index " + name + " was declared meanwhile"));
        builder.build(tenant, declared);
        return new Outcome(202, declared);
      });
    })), outcome -> Responses.json(ctx, outcome.status(), outcome.declared().toJson()));
  }

  private record Outcome(int status, IndexDeclaration declared) {
  }

  public void list(RoutingContext ctx) {
    String collection = RecordEndpoints.collection(ctx);
    Responses.when(ctx, administered(ctx).compose(tenant -> store.list(tenant.id(), collection)), all -> {
      JsonArray items = new JsonArray();
      all.forEach(d -> items.add(d.toJson()));
      Responses.json(ctx, 200, new JsonObject().put("items", items));
    });
  }

  /** Drops the index (CONCURRENTLY: writes go on) and then its declaration; answers when both are done. */
  public void delete(RoutingContext ctx) {
    String collection = RecordEndpoints.collection(ctx);
    String name = name(ctx);
    Responses.when(ctx, administered(ctx).compose(tenant ->
        store.status(tenant.id(), collection, name, "dropping", null).compose(marked -> builder.drop(tenant,
          marked.orElseThrow(() -> Problem.notFound("collection " + collection + " has no index " + name))))),
      v -> Responses.noContent(ctx));
  }

  private static String name(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (name == null || !NAME.matcher(name).matches()) {
      throw Problem.badRequest("index names must match " + NAME.pattern());
    }
    return name;
  }

  /** The tenant in the path, if the caller administers it (as collection schemas are administered). */
  private Future<Tenant> administered(RoutingContext ctx) {
    return delegation.administered(Caller.of(ctx), ctx.pathParam("slug"), "its indexes");
  }
}
