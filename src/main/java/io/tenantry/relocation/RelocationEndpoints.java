package io.tenantry.relocation;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.UUID;

/**
 * POST /admin/v1/tenants/{slug}/relocations (start a move), GET .../relocations/{id} (progress) and DELETE (or POST
 * .../cancel) to cancel. Super-admins only (guarded by the route). The body was validated against openapi.yaml.
 */
public final class RelocationEndpoints {
  private static final Set<String> RESERVED = Set.of("postgres", "template0", "template1");

  private final TenantStore tenants;
  private final Relocations relocations;

  public RelocationEndpoints(TenantStore tenants, Relocations relocations) {
    this.tenants = tenants;
    this.relocations = relocations;
  }

  public void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    Isolation tier = Isolation.parse(body.getString("isolation"));
    if (tier == null) {
      ctx.fail(Problem.badRequest("isolation must be shared, schema or database"));
      return;
    }
    JsonObject target = body.getJsonObject("target");
    DbTarget server = null;
    if (target != null) {
      if (target.getString("name") != null && RESERVED.contains(target.getString("name"))) {
        ctx.fail(Problem.badRequest("target.name must not be a system database (postgres, template0, template1)"));
        return;
      }
      server = new DbTarget(target.getString("host"), target.getInteger("port", 0), target.getString("name"));
    }
    DbTarget to = server;
    Responses.when(ctx, tenant(ctx).compose(t -> relocations.begin(t, tier, to).map(job -> job.toJson(t.slug()))), job -> {
      ctx.response().putHeader("Location", "/admin/v1/tenants/" + job.getString("tenant") + "/relocations/" + job.getString("id"));
      Responses.json(ctx, 202, job);
    });
  }

  public void get(RoutingContext ctx) {
    Responses.when(ctx, tenant(ctx).compose(t -> relocations.job(t, relocationId(ctx)).map(job -> job.toJson(t.slug()))),
      job -> Responses.json(ctx, 200, job));
  }

  public void cancel(RoutingContext ctx) {
    Responses.when(ctx, tenant(ctx).compose(t -> relocations.cancel(t, relocationId(ctx)).map(job -> job.toJson(t.slug()))),
      job -> Responses.json(ctx, 202, job));
  }

  private static UUID relocationId(RoutingContext ctx) {
    try {
      return UUID.fromString(ctx.pathParam("relocationId"));
    } catch (IllegalArgumentException e) {
      throw Problem.notFound("no move " + ctx.pathParam("relocationId") + " of this tenant");
    }
  }

  private Future<Tenant> tenant(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    if (slug == null || !Tenant.SLUG.matcher(slug).matches()) {
      return Future.failedFuture(Problem.notFound("unknown tenant"));
    }
    return tenants.bySlug(slug).map(found -> found.orElseThrow(() -> Problem.notFound("unknown tenant")));
  }
}
