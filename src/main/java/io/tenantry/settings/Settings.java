package io.tenantry.settings;

import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.Map;

/**
 * Per-tenant configuration, wired once at boot: the declared settings, their values, the effective-config cache,
 * the routes, and the two settings the platform enforces (token lifetime, e-mail domains).
 */
public final class Settings {
  /** How soon a change reaches nodes that share no event bus with the one that made it. */
  static final long REFRESH_MS = 500;

  private final EffectiveConfigCache cache;
  private final AdminConfigEndpoints admin;
  private final UserConfigEndpoints user;
  private final TokenTtlSetting tokenTtl;
  private final AllowedEmailDomains emailDomains;
  private final SettingsCatalog catalog;
  private final SettingsStore store;

  private Settings(SettingsCatalog catalog, SettingsStore store, EffectiveConfigCache cache, TenantRegistry registry,
                   int tokenTtlSeconds) {
    this.cache = cache;
    this.catalog = catalog;
    this.store = store;
    this.admin = new AdminConfigEndpoints(catalog, store, cache, registry);
    this.user = new UserConfigEndpoints(catalog, store, cache);
    this.tokenTtl = new TokenTtlSetting(cache, tokenTtlSeconds);
    this.emailDomains = new AllowedEmailDomains(cache);
  }

  /**
   * Reads the declarations (on a worker: class-path reads) and listens for change notices.
   *
   * @param ancestors a tenant's ancestors, root first; {@link Ancestors#NONE} until tenants have parents
   */
  public static Future<Settings> start(Vertx vertx, Pool pool, TenantRegistry registry, Ancestors ancestors,
                                       int tokenTtlSeconds) {
    return vertx.executeBlocking(() -> SettingsCatalog.load(Map.of("auth.token-ttl-seconds", tokenTtlSeconds)))
      .compose(catalog -> {
        SettingsStore store = new SettingsStore(pool);
        EffectiveConfigCache cache = new EffectiveConfigCache(catalog, store, ancestors);
        Settings settings = new Settings(catalog, store, cache, registry, tokenTtlSeconds);
        return cache.start(vertx, REFRESH_MS).map(settings);
      });
  }

  public void stop() {
    cache.stop();
  }

  public EffectiveConfigCache cache() {
    return cache;
  }

  public AdminConfigEndpoints admin() {
    return admin;
  }

  public UserConfigEndpoints user() {
    return user;
  }

  public TokenTtlSetting tokenTtl() {
    return tokenTtl;
  }

  /** The declared settings, for checking values that do not come through the config routes (templates). */
  public SettingsCatalog catalog() {
    return catalog;
  }

  public SettingsStore store() {
    return store;
  }

  public AllowedEmailDomains emailDomains() {
    return emailDomains;
  }
}
