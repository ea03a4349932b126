package io.tenantry.domains;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * /admin/v1/tenants/{slug}/domains (super-admin): the host names that name a tenant besides
 * {@code <slug>.<base domain>}. A host belongs to one tenant at most (409 otherwise).
 */
public final class DomainEndpoints {
  private final TenantStore tenants;
  private final DomainStore store;
  private final DomainMap map;
  private final DomainNames names;

  DomainEndpoints(TenantStore tenants, DomainStore store, DomainMap map, DomainNames names) {
    this.tenants = tenants;
    this.store = store;
    this.map = map;
    this.names = names;
  }

  public void list(RoutingContext ctx) {
    Responses.when(ctx, tenant(ctx).compose(t -> store.ofTenant(t.id())), rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(row -> items.add(new JsonObject().put("host", row.getString("host"))
        .put("created_at", row.getOffsetDateTime("created_at").toString())));
      Responses.json(ctx, 200, new JsonObject().put("items", items));
    });
  }

  public void put(RoutingContext ctx) {
    String host;
    try {
      host = names.check(ctx.pathParam("host"));
    } catch (Problem problem) {
      ctx.fail(problem);
      return;
    }
    Future<DomainStore.Claim> claimed = tenant(ctx).compose(t -> store.claim(host, t.id()))
      .compose(claim -> claim == DomainStore.Claim.TAKEN
        ? Future.failedFuture(Problem.conflict("the host " + host + " is already a custom domain of another tenant"))
        : map.changed().map(claim));
    Responses.when(ctx, claimed, claim -> Responses.json(ctx, claim == DomainStore.Claim.CREATED ? 201 : 200,
      new JsonObject().put("host", host).put("tenant", ctx.pathParam("slug"))));
  }

  public void delete(RoutingContext ctx) {
    String host = ctx.pathParam("host");
    Future<Void> released = tenant(ctx).compose(t -> store.release(host, t.id()))
      .compose(found -> found ? map.changed()
        : Future.failedFuture(Problem.notFound("the host " + host + " is not a custom domain of this tenant")));
    Responses.when(ctx, released, v -> Responses.noContent(ctx));
  }

  private Future<Tenant> tenant(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    return Tenant.SLUG.matcher(slug).matches()
      ? tenants.bySlug(slug).map(found -> found.orElseThrow(() -> Problem.notFound("unknown tenant")))
      : Future.failedFuture(Problem.notFound("unknown tenant"));
  }
}
