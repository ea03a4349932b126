package io.tenantry.importing;

import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Isolation;
import io.vertx.ext.web.RoutingContext;

/**
 * POST /admin/v1/imports: the request body is a bundle (application/x-tar, up to http.body-limit); query {@code as}
 * gives the tenant another slug, {@code isolation} another tier, {@code database_host/port/name} (database tier)
 * the PostgreSQL server and database it goes to, {@code replace_archived=true} lets it take the place of an archived
 * tenant holding its id or slug. 201 with the tenant; 422 for a bundle refused (nothing written); 409 when its id or
 * slug exists (and is not an archived tenant to replace). Super-admins only (guarded by the route).
 */
public final class ImportEndpoint {
  private final Imports imports;

  public ImportEndpoint(Imports imports) {
    this.imports = imports;
  }

  public void handle(RoutingContext ctx) {
    String slug = ctx.queryParams().get("as");
    String tier = ctx.queryParams().get("isolation");
    Isolation isolation = tier == null ? null : Isolation.parse(tier);
    if (tier != null && isolation == null) {
      ctx.fail(Problem.badRequest("isolation must be shared, schema or database, got '" + tier + "'"));
      return;
    }
    String replace = ctx.queryParams().get("replace_archived");
    if (replace != null && !replace.equals("true") && !replace.equals("false")) {
      ctx.fail(Problem.badRequest("replace_archived must be true or false, got '" + replace + "'"));
      return;
    }
    if (!ctx.body().available() || ctx.body().length() == 0) {
      ctx.fail(Problem.badRequest("the request body must be a tenant bundle (application/x-tar)"));
      return;
    }
    io.tenantry.tenant.DbTarget server;
    try {
      server = ImportServer.parse(ctx.queryParams().get("database_host"), ctx.queryParams().get("database_port"),
        ctx.queryParams().get("database_name"), isolation);
    } catch (Problem e) {
      ctx.fail(e);
      return;
    }
    Responses.when(ctx, imports.importBundle(ctx.body().buffer(), slug, isolation, server,
      "true".equals(replace)), tenant -> {
      ctx.response().putHeader("Location", "/admin/v1/tenants/" + tenant.slug());
      Responses.json(ctx, 201, tenant.toJson());
    });
  }
}
