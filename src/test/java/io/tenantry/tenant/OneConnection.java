package io.tenantry.tenant;

import io.tenantry.data.TenantDb;
import io.tenantry.pool.ConcurrencyCaps;
import io.tenantry.pool.DedicatedPools;
import io.tenantry.pool.PoolFactory;
import io.tenantry.pool.TenantPools;
import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant-context tests' world: a server, two shared-tier tenants A (one record) and B (none), and a platform
 * pool of ONE connection, so every unit reuses the connection of the one before — and a statement on the pool
 * itself (outside TenantDb) runs on that connection too.
 */
final class OneConnection implements AutoCloseable {
  final TestServer ts;
  final Pool pool;
  final Tenant a;
  final Tenant b;

  OneConnection(String prefix) {
    ts = TestServer.start(Map.of("db.pool-size", "1"));
    String admin = ts.adminToken();
    a = tenant(ts.createTenant(admin, prefix + "-a"));
    b = tenant(ts.createTenant(admin, prefix + "-b"));
    ts.api.request(HttpMethod.POST, "/api/v1/collections/notes/records", admin)
      .putHeader("X-Tenant-ID", a.slug()).sendJsonObject(new JsonObject().put("n", 1))
      .toCompletionStage().toCompletableFuture().join();
    pool = new PoolFactory(ts.vertx, ts.config).platform();
  }

  /** A new TenantDb on the one connection; it tracks nothing yet. */
  TenantDb tenantDb(TenantDb.ContextMode mode) {
    return new TenantDb(new TenantPools(pool, new ConcurrencyCaps(ts.vertx, 8, 1000),
      new DedicatedPools(ts.vertx, new PoolFactory(ts.vertx, ts.config), 1, 60)), mode);
  }

  private static Tenant tenant(JsonObject json) {
    return new Tenant(UUID.fromString(json.getString("id")), json.getString("slug"), json.getString("name"),
      Tenant.Status.ACTIVE, Isolation.SHARED, null, 0, null, Instant.now(), null);
  }

  @Override
  public void close() {
    Await.result(pool.close(), 10);
    ts.close();
  }
}
