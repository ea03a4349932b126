package io.tenantry.settings;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Optional;

/**
 * The control plane's configuration routes: the declared settings, and a tenant's own and effective values under
 * /admin/v1/tenants/{slug}/config. A tenant is administered here by a super-admin or, while it is active, by its
 * tenant_admin; anybody else gets the same 403 whether or not the tenant exists.
 */
public final class AdminConfigEndpoints {

  private final SettingsCatalog catalog;
  private final SettingsStore store;
  private final EffectiveConfigCache cache;
  private final TenantRegistry registry;
  private final io.tenantry.admin.Delegation delegation;

  public AdminConfigEndpoints(SettingsCatalog catalog, SettingsStore store, EffectiveConfigCache cache,
                              TenantRegistry registry) {
    this.catalog = catalog;
    this.store = store;
    this.cache = cache;
    this.registry = registry;
    this.delegation = new io.tenantry.admin.Delegation(registry);
  }

  /** Route guard of GET /admin/v1/settings: a super-admin, or a tenant_admin of any tenant. */
  public static void anyAdmin(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (caller == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
    } else if (caller.superAdmin() || caller.roles().contains(Caller.TENANT_ADMIN)) {
      ctx.next();
    } else {
      ctx.fail(Problem.forbidden("the settings are listed for super-admins and tenant_admins"));
    }
  }

  public void listSettings(RoutingContext ctx) {
    Responses.json(ctx, 200, catalog.toJson());
  }

  public void own(RoutingContext ctx) {
    Responses.when(ctx, administered(ctx).compose(tenant -> store.ofTenant(tenant.id())
      .map(values -> new JsonObject().put("tenant", tenant.slug()).put("values", new JsonObject(values)))),
      body -> Responses.json(ctx, 200, body));
  }

  public void effective(RoutingContext ctx) {
    Responses.when(ctx, administered(ctx).compose(tenant -> cache.of(tenant)
      .map(config -> new JsonObject().put("tenant", tenant.slug()).put("settings", toJson(config)))),
      body -> Responses.json(ctx, 200, body));
  }

  public void put(RoutingContext ctx) {
    Object value = ctx.body().asJsonObject().getValue("value");
    Responses.when(ctx, administered(ctx).compose(tenant -> {
      Setting setting = declared(ctx.pathParam("key"));
      Optional<Setting.Invalid> invalid = setting.check(value);
      if (invalid.isPresent()) {
        return Future.failedFuture(SettingsProblems.invalid(setting, invalid.get()));
      }
      return store.put(tenant.id(), setting.key(), value).map(v -> {
        changed(tenant);
        return new JsonObject().put("key", setting.key()).put("value", value);
      });
    }), body -> Responses.json(ctx, 200, body));
  }

  public void delete(RoutingContext ctx) {
    Responses.when(ctx, administered(ctx).compose(tenant -> {
      Setting setting = declared(ctx.pathParam("key"));
      return store.delete(tenant.id(), setting.key()).map(deleted -> {
        changed(tenant);
        return deleted;
      });
    }), deleted -> Responses.noContent(ctx));
  }

  static JsonObject toJson(Map<String, Resolved> config) {
    JsonObject json = new JsonObject();
    config.forEach((key, resolved) -> json.put(key, resolved.toJson()));
    return json;
  }

  private Setting declared(String key) {
    return catalog.find(key).orElseThrow(() -> SettingsProblems.unknownKey(key, catalog));
  }

  /** Evicted here at once (the writer reads its own write), and on every node by the notice. */
  private void changed(Tenant tenant) {
    cache.evict(tenant.id());
    registry.changed(tenant.id());
  }

  private Future<Tenant> administered(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    return delegation.reached(caller, ctx.pathParam("slug")).compose(tenant -> {
      Problem archived = io.tenantry.tenant.ArchivedTenants.refusal(ctx, tenant);
      return archived != null ? Future.failedFuture(archived) : delegation.mayChange(caller, tenant, "its configuration");
    });
  }
}
