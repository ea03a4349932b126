package io.tenantry.pool;

import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.tenantry.tenant.DbTarget;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Routing a tenant's work to its pool, against the real platform database: the place under the cap is given back
 * whatever the work does (succeeds, fails, throws before returning a future, waits for a place first), a
 * database-tier tenant's work runs on its own pool through its server's breaker, and the counts say so.
 */
class TenantPoolsRoutingTest {
  private static TestServer ts;
  private static Pool platform;
  private static DedicatedPools dedicated;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    platform = new PoolFactory(ts.vertx, ts.config).platform();
    dedicated = new DedicatedPools(ts.vertx, new PoolFactory(ts.vertx, ts.config), 4, 300);
  }

  @AfterAll
  static void stop() {
    if (dedicated != null) {
      Await.result(dedicated.closeAll());
      Await.result(platform.close());
    }
    if (ts != null) {
      ts.close();
    }
  }

  private static Tenant tenant(Isolation tier, DbTarget target) {
    return new Tenant(UUID.randomUUID(), "routing", "Routing", Tenant.Status.ACTIVE, tier, target, 1, null,
      Instant.now(), null);
  }

  @Test
  void theCapsPlaceIsGivenBackWhateverTheWorkDoes() {
    ConcurrencyCaps caps = new ConcurrencyCaps(ts.vertx, 1, 5000);
    TenantPools pools = new TenantPools(platform, caps, dedicated);
    Tenant shared = tenant(Isolation.SHARED, null);

    assertThat(Await.result(pools.<Integer>withConnection(shared, conn -> conn.query("SELECT 41 + 1").execute()
      .map(rows -> rows.iterator().next().getInteger(0))))).isEqualTo(42);
    assertThat(Await.result(pools.<Integer>withClient(shared, client -> client.preparedQuery("SELECT $1::int")
      .execute(io.vertx.sqlclient.Tuple.of(7)).map(rows -> rows.iterator().next().getInteger(0))))).isEqualTo(7);
    assertThatThrownBy(() -> Await.result(pools.<Integer>withClient(shared, client -> {
      throw new IllegalStateException("thrown before any future");
    }))).isInstanceOf(IllegalStateException.class);
    assertThat(caps.running()).isZero();

    // the second request waits for the first's place, then runs and gives it back too
    Promise<String> first = Promise.promise();
    Future<String> running = pools.withClient(shared, client -> first.future());
    Future<String> waiting = pools.withClient(shared, client -> Future.succeededFuture("second"));
    assertThat(waiting.isComplete()).isFalse();
    assertThat(pools.stats().getJsonObject("tiers").getJsonObject("shared").getLong("in_flight")).isEqualTo(2);
    first.complete("first");
    assertThat(Await.result(running)).isEqualTo("first");
    assertThat(Await.result(waiting)).isEqualTo("second");
    assertThat(caps.running()).isZero();
    assertThat(caps.queued()).isEqualTo(1);
    JsonObject stats = pools.stats();
    assertThat(stats.getJsonObject("tiers").getJsonObject("shared").getLong("in_flight")).isZero();
    assertThat(stats.getJsonObject("platform_pool").getLong("queued_total")).isEqualTo(1);
    assertThat(stats.getJsonArray("server_breakers")).isEmpty();
    assertThat(pools.dedicated()).isSameAs(dedicated);
  }

  @Test
  void aDatabaseTierTenantsWorkRunsOnItsOwnPoolThroughItsServersBreaker() {
    ServerBreakers breakers = new ServerBreakers(ts.vertx, 3, 1000, 10_000);
    TenantPools pools = new TenantPools(platform, new ConcurrencyCaps(ts.vertx, 1, 0), dedicated, breakers);
    Tenant own = tenant(Isolation.DATABASE, new DbTarget(ts.config.dbHost(), ts.config.dbPort(), ts.config.dbName()));
    assertThat(Await.result(pools.<String>withConnection(own, conn -> conn.query("SELECT current_database()").execute()
      .map(rows -> rows.iterator().next().getString(0))))).isEqualTo(ts.config.dbName());
    assertThat(Await.result(pools.<String>withClient(own, client -> Future.succeededFuture("leased")))).isEqualTo("leased");
    JsonObject stats = pools.stats();
    assertThat(stats.getJsonObject("tiers").getJsonObject("database").getLong("in_flight")).isZero();
    assertThat(stats.getJsonArray("server_breakers")).hasSize(1);
    assertThat(stats.getJsonObject("dedicated_pools").getInteger("open")).isGreaterThanOrEqualTo(1);

    // without breakers (a test's pools) the same work goes straight to the lease
    TenantPools plain = new TenantPools(platform, new ConcurrencyCaps(ts.vertx, 1, 0), dedicated);
    assertThat(Await.result(plain.<String>withClient(own, client -> Future.succeededFuture("direct")))).isEqualTo("direct");
    breakers.close();
  }

  @Test
  void withoutAQueueARequestOverTheCapIsRefusedAndCountedOut() {
    TenantPools pools = new TenantPools(platform, new ConcurrencyCaps(ts.vertx, 1, 0), dedicated);
    Tenant shared = tenant(Isolation.SCHEMA, null);
    Promise<String> held = Promise.promise();
    Future<String> running = pools.withClient(shared, client -> held.future());
    Future<String> refused = pools.withClient(shared, client -> Future.succeededFuture("never"));
    assertThat(refused.cause()).isInstanceOf(PoolBusy.class);
    assertThat(pools.stats().getJsonObject("tiers").getJsonObject("schema").getLong("in_flight")).isEqualTo(1);
    held.complete("done");
    assertThat(Await.result(running)).isEqualTo("done");
    assertThat(pools.stats().getJsonObject("platform_pool").getLong("rejected")).isEqualTo(1);
  }
}
