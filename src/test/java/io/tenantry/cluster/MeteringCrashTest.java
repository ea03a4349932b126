package io.tenantry.cluster;

import io.tenantry.config.Config;
import io.tenantry.config.ConfigLoader;
import io.tenantry.support.Api;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tenantry.cluster.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two real nodes (JVMs running {@code Main serve}) count one tenant's requests. Node A stores only at its SIGTERM
 * (its flush interval is far longer than the test), node B every 300 ms and is then SIGKILLed in a burst: what A
 * served is stored exactly, what B served is stored at least up to its last flush and at most once.
 */
class MeteringCrashTest {
  private static final String RECORDS = "/api/v1/collections/notes/records";

  @Test
  void sigtermStoresExactlyWhatWasServedAndSigkillLosesAtMostTheLastIntervalNeverDoubling() throws Exception {
    Map<String, String> aFlags = new HashMap<>(TestServer.flags(Map.of("http.instances", "1",
      "metering.flush-ms", "600000")));
    Map<String, String> bFlags = new HashMap<>(aFlags);
    bFlags.put("http.port", Integer.toString(TestServer.freePort()));
    bFlags.put("metering.flush-ms", "300");
    Config config = ConfigLoader.load(null, Map.of(), aFlags);
    Vertx vertx = Vertx.vertx();
    try (TenantryProcess a = TenantryProcess.serve(aFlags)) {
      Api toA = TenantryProcess.api(vertx, aFlags);
      String admin = a.ready(toA);
      String member = memberOfNewTenant(toA, admin);
      try (TenantryProcess b = TenantryProcess.serve(bFlags)) {
        Api toB = TenantryProcess.api(vertx, bFlags);
        b.ready(toB);
        // A serves writes and reads, B reads, at the same time.
        AtomicInteger writesServedByA = new AtomicInteger();
        AtomicInteger readsServed = new AtomicInteger();
        Thread writer = new Thread(() -> {
          for (int i = 0; i < 60; i++) {
            count(toA.send(toA.request(HttpMethod.POST, RECORDS, member), new JsonObject().put("n", i)), writesServedByA);
          }
        });
        Thread readerOfB = new Thread(() -> {
          for (int i = 0; i < 80; i++) {
            count(toB.get(RECORDS, member), readsServed);
          }
        });
        writer.start();
        readerOfB.start();
        for (int i = 0; i < 40; i++) {
          count(toA.get(RECORDS, member), readsServed);
        }
        writer.join();
        readerOfB.join();
        int readsOfA = 40;
        int readsBeforeKill = readsServed.get();
        assertThat(writesServedByA.get()).isEqualTo(60);
        assertThat(readsBeforeKill).isEqualTo(120);
        // B stores its 80 reads within a few of its intervals; A has stored nothing yet.
        within(Duration.ofSeconds(30), "B's reads stored", () -> stored(config, "requests_read") == 80);
        assertThat(stored(config, "requests_write")).isZero();

        // A burst at B, killed while it runs: at most this burst (B's last interval) is lost.
        Thread burst = new Thread(() -> {
          for (int i = 0; i < 40; i++) {
            try {
              count(toB.get(RECORDS, member), readsServed);
            } catch (RuntimeException killed) {
              return;
            }
          }
        });
        burst.start();
        within(Duration.ofSeconds(30), "the burst under way", () -> readsServed.get() >= readsBeforeKill + 10);
        b.kill();
        burst.join();
        int burstServed = readsServed.get() - readsBeforeKill;

        a.terminate();
        assertThat(a.awaitExit(60)).as(a.logText()).isEqualTo(143);
        long reads = stored(config, "requests_read");
        assertThat(stored(config, "requests_write")).as("A's writes, stored at SIGTERM").isEqualTo(60);
        assertThat(reads).as("all of A's reads and B's up to its last flush, none twice")
          .isBetween((long) readsOfA + 80, (long) readsOfA + 80 + burstServed);
        assertThat(stored(config, "egress_bytes")).isPositive();
        assertThat(storedUsers(config)).isEqualTo(1); // one member, seen by both nodes, counted once
      }
    } finally {
      vertx.close();
      TestEnv.dropDatabase(config.dbName(), config.appRole(), config.ownerRole());
    }
  }

  private static void count(HttpResponse<Buffer> response, AtomicInteger served) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 201);
    served.incrementAndGet();
  }

  private static String memberOfNewTenant(Api api, String admin) {
    assertThat(api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "metered").put("name", "M"))
      .statusCode()).isEqualTo(201);
    assertThat(api.post("/admin/v1/tenants/metered/users", admin, new JsonObject().put("email", "m@metered.test")
      .put("password", "password-of-m@metered.test").put("role", "member")).statusCode()).isEqualTo(201);
    assertThat(api.send(api.request(HttpMethod.PUT, "/admin/v1/tenants/metered/limits", admin),
      new JsonObject().put("rate", 1_000_000).put("burst", 1_000_000)).statusCode()).isEqualTo(200);
    return api.token("m@metered.test", "password-of-m@metered.test", "metered");
  }

  private static long stored(Config config, String meter) {
    return one(config, "SELECT coalesce(sum(quantity), 0) FROM platform.usage_flushes f JOIN platform.tenants t "
      + "ON t.id = f.tenant_id WHERE t.slug = 'metered' AND meter = '" + meter + "'");
  }

  private static long storedUsers(Config config) {
    return one(config, "SELECT count(DISTINCT user_id) FROM platform.usage_active_users u JOIN platform.tenants t "
      + "ON t.id = u.tenant_id WHERE t.slug = 'metered'");
  }

  private static long one(Config config, String sql) {
    try (Connection c = TestEnv.connect(config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

}
