package io.tenantry.ratelimit;

import io.tenantry.pool.PoolFactory;
import io.tenantry.support.Await;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The periodic reload of the limits cache, against the real limits tables: unchanged limits keep their instance
 * (the limiter recognises a tenant's budget by identity, so a fresh copy every refresh would cost every request a
 * deep comparison), changed ones are replaced.
 */
class LimitsCacheTest {
  private static TestServer ts;
  private static Pool pool;
  private static String admin;
  private static UUID tenant;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    admin = ts.adminToken();
    tenant = UUID.fromString(ts.createTenant(admin, "cached").getString("id"));
    pool = new PoolFactory(ts.vertx, ts.config).platform();
  }

  @AfterAll
  static void stop() {
    Await.result(pool.close(), 10);
    ts.close();
  }

  @Test
  void aReloadKeepsUnchangedLimitsAsTheSameInstanceAndReplacesChangedOnes() {
    LimitsCache cache = new LimitsCache(new LimitsStore(pool));
    TenantLimits loaded = Await.result(cache.get(tenant), 10);

    reload(cache);
    assertThat(Await.result(cache.get(tenant), 10)).isSameAs(loaded);

    HttpResponse<Buffer> put = ts.api.put("/admin/v1/tenants/cached/limits", admin,
      new JsonObject().put("rate", 7).put("burst", 14), null);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    reload(cache); // this cache hears of no change notice: only the reload can bring it
    TenantLimits changed = Await.result(cache.get(tenant), 10);
    assertThat(changed).isNotSameAs(loaded);
    assertThat(changed.effective().rate()).isEqualTo(7);
    assertThat(changed.effective().burst()).isEqualTo(14);
  }

  @Test
  void aReloadReadsTheTenantsOnlyWhenTheLimitsVersionMovedAndSeesAChangeMadeInSql() throws Exception {
    LimitsCache cache = new LimitsCache(new LimitsStore(pool));
    Await.result(cache.get(tenant), 10);
    reload(cache); // the first reload has no version to compare with

    // An edit that does not move the version is not seen: proof that an unchanged version costs no tenant query.
    sql("ALTER TABLE platform.tenant_limits DISABLE TRIGGER limits_version");
    try {
      setOverride(5, 10);
    } finally {
      sql("ALTER TABLE platform.tenant_limits ENABLE TRIGGER limits_version");
    }
    reload(cache);
    assertThat(Await.result(cache.get(tenant), 10).effective().rate()).isNotEqualTo(5);

    setOverride(9, 18); // an edit in SQL, of which no node hears: the version brings it
    reload(cache);
    TenantLimits changed = Await.result(cache.get(tenant), 10);
    assertThat(changed.effective().rate()).isEqualTo(9);
    assertThat(changed.effective().burst()).isEqualTo(18);
  }

  private static void setOverride(int rate, int burst) throws Exception {
    sql("INSERT INTO platform.tenant_limits (tenant_id, rate, burst) VALUES ('" + tenant + "', " + rate + ", " + burst
      + ") ON CONFLICT (tenant_id) DO UPDATE SET rate = " + rate + ", burst = " + burst);
  }

  private static void sql(String statement) throws Exception {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static void reload(LimitsCache cache) {
    Await.result(cache.reloadAll(), 10);
  }
}
