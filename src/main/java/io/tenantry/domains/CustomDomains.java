package io.tenantry.domains;

import io.tenantry.tenant.TenantStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** Wiring of the custom domains: the per-node map the pipeline reads and the admin routes that change it. */
public record CustomDomains(DomainMap map, DomainEndpoints endpoints) {

  /** Completes once this node has loaded every mapping and listens for changes. */
  public static Future<CustomDomains> start(Vertx vertx, Pool pool, TenantStore tenants, String baseDomain) {
    DomainStore store = new DomainStore(pool);
    DomainMap map = new DomainMap(store);
    return map.start(vertx)
      .map(v -> new CustomDomains(map, new DomainEndpoints(tenants, store, map, new DomainNames(baseDomain))));
  }

  public void stop() {
    map.stop();
  }
}
