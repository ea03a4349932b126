package io.tenantry.settings;

import io.tenantry.auth.Caller;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Optional;

/**
 * The data plane's /api/v1/config: the effective configuration of the request's tenant (resolved by the gate) for
 * the caller, with the caller's own values where a setting takes them and feature flags evaluated for the caller;
 * and the caller's own values, set and cleared. Nothing here runs unless a client asks.
 */
public final class UserConfigEndpoints {
  private final SettingsCatalog catalog;
  private final SettingsStore store;
  private final EffectiveConfigCache cache;

  public UserConfigEndpoints(SettingsCatalog catalog, SettingsStore store, EffectiveConfigCache cache) {
    this.catalog = catalog;
    this.store = store;
    this.cache = cache;
  }

  public void get(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    Caller caller = Caller.of(ctx);
    Future<Map<String, Resolved>> tenantConfig = cache.of(tenant);
    Future<Map<String, Object>> own = store.ofUser(tenant.id(), caller.userId());
    Responses.when(ctx, Future.all(tenantConfig, own).map(done ->
      ConfigResolver.forUser(catalog, tenantConfig.result(), own.result())), config -> {
        JsonObject settings = new JsonObject();
        config.forEach((key, resolved) -> settings.put(key, new JsonObject()
          .put("value", FeatureRollout.isFlag(key)
            ? FeatureRollout.enabled(key, resolved.value(), caller.userId()) : resolved.value())
          .put("source", resolved.source())));
        Responses.json(ctx, 200, new JsonObject().put("tenant", tenant.slug()).put("settings", settings));
      });
  }

  public void put(RoutingContext ctx) {
    Object value = ctx.body().asJsonObject().getValue("value");
    Responses.when(ctx, userSetting(ctx).compose(setting -> {
      Optional<Setting.Invalid> invalid = setting.check(value);
      if (invalid.isPresent()) {
        return Future.failedFuture(SettingsProblems.invalid(setting, invalid.get()));
      }
      return store.putUser(Tenant.of(ctx).id(), Caller.of(ctx).userId(), setting.key(), value)
        .map(v -> new JsonObject().put("key", setting.key()).put("value", value));
    }), body -> Responses.json(ctx, 200, body));
  }

  public void delete(RoutingContext ctx) {
    Responses.when(ctx, userSetting(ctx).compose(setting ->
        store.deleteUser(Tenant.of(ctx).id(), Caller.of(ctx).userId(), setting.key())),
      deleted -> Responses.noContent(ctx));
  }

  private Future<Setting> userSetting(RoutingContext ctx) {
    String key = ctx.pathParam("key");
    Optional<Setting> setting = catalog.find(key);
    if (setting.isEmpty()) {
      return Future.failedFuture(SettingsProblems.unknownKey(key, catalog));
    }
    if (!setting.get().userLevel()) {
      return Future.failedFuture(SettingsProblems.notPerUser(setting.get(), catalog));
    }
    return Future.succeededFuture(setting.get());
  }
}
