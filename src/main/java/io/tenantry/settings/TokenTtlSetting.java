package io.tenantry.settings;

import io.tenantry.auth.TenantTokenTtl;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;

/** auth.token_ttl_seconds: the lifetime of tokens issued for the tenant (its schema bounds it by the platform's). */
public final class TokenTtlSetting implements TenantTokenTtl {
  static final String KEY = "auth.token_ttl_seconds";
  private final EffectiveConfigCache cache;
  private final int platformSeconds;

  public TokenTtlSetting(EffectiveConfigCache cache, int platformSeconds) {
    this.cache = cache;
    this.platformSeconds = platformSeconds;
  }

  @Override
  public Future<Integer> seconds(Tenant tenant) {
    return cache.of(tenant).map(config -> {
      Resolved ttl = config.get(KEY);
      // a value stored under a higher platform bound (the operator lowered it since) is capped, not trusted
      return ttl != null && ttl.value() instanceof Number n ? Math.min(n.intValue(), platformSeconds) : platformSeconds;
    });
  }
}
