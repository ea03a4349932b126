package io.tenantry.admin;

import io.tenantry.auth.Caller;
import io.tenantry.http.Responses;
import io.tenantry.provisioning.Provisioning;
import io.tenantry.provisioning.ProvisioningSpec;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantInsert;
import io.tenantry.templates.TemplateEndpoints;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * The answer to a tenant creation, for a root or a child: the named template applied (the request's tier and plan
 * win over it), then provisioning, before the answer (201) or, with {@code Prefer: respond-async}, after it (202
 * with the Location of its provisioning steps).
 */
final class NewTenants {
  private final Provisioning provisioning;
  private final TemplateEndpoints templates;

  NewTenants(Provisioning provisioning, TemplateEndpoints templates) {
    this.provisioning = provisioning;
    this.templates = templates;
  }

  void create(RoutingContext ctx, JsonObject body, TenantRequest request, TenantInsert insert) {
    boolean async = respondAsync(ctx);
    Future<Tenant> created = resolve(body, request).compose(resolved -> async
      ? provisioning.createAsync(resolved, insert) : provisioning.create(resolved, insert));
    created.onSuccess(tenant -> {
      JsonObject view = TenantView.of(Caller.of(ctx), tenant);
      if (async) {
        ctx.response().putHeader("Location", "/admin/v1/tenants/" + tenant.slug() + "/provisioning")
          .putHeader("Preference-Applied", "respond-async");
        Responses.json(ctx, 202, view);
      } else {
        ctx.response().putHeader("Location", "/admin/v1/tenants/" + tenant.slug());
        Responses.json(ctx, 201, view);
      }
    }).onFailure(ctx::fail);
  }

  private Future<Provisioning.NewTenant> resolve(JsonObject body, TenantRequest request) {
    if (request.template() == null) {
      return Future.succeededFuture(newTenant(request, new ProvisioningSpec(null, request.plan(), new JsonObject(),
        java.util.List.of(), request.adminEmail())));
    }
    return templates.find(request.template()).map(template -> {
      TenantRequest applied = request.withTemplateTier(template.isolation(), body.containsKey("isolation"));
      return newTenant(applied, template.spec(request.plan(), request.adminEmail()));
    });
  }

  private static Provisioning.NewTenant newTenant(TenantRequest request, ProvisioningSpec spec) {
    return new Provisioning.NewTenant(request.slug(), request.name(), request.isolation(), request.database(), spec);
  }

  private static boolean respondAsync(RoutingContext ctx) {
    String prefer = ctx.request().getHeader("Prefer");
    return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
  }
}
