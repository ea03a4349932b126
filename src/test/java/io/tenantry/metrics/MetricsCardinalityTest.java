package io.tenantry.metrics;

import io.tenantry.support.Api;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 tenants' traffic cannot blow up the scrape: no series names a tenant except the top-N tenants' (here
 * N = 20), and the whole scrape stays under a bound that does not grow with the number of tenants.
 */
class MetricsCardinalityTest {
  private static final int TENANTS = 1_000;
  private static final int TOP = 20;
  /** Vert.x, JVM and platform series for the routes this test uses: a few hundred; 1,000 tenants would add 1,000+. */
  private static final int BOUND = 900;
  private static TestServer ts;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("metrics.top-tenants", Integer.toString(TOP),
      "metrics.top-tenants-interval-seconds", "3600", "db.connect-timeout-ms", "30000"));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @Test
  void athousandTenantsTrafficKeepsTheScrapeBounded() throws Exception {
    MetricsScrape.assumeParser();
    String admin = ts.adminToken();
    List<String> ids = new ArrayList<>();
    for (int from = 0; from < TENANTS; from += 20) {
      List<Future<HttpResponse<Buffer>>> batch = new ArrayList<>();
      for (int i = from; i < from + 20; i++) {
        batch.add(ts.http.post("/admin/v1/tenants").bearerTokenAuthentication(admin)
          .sendJsonObject(new JsonObject().put("slug", "card-" + i).put("name", "Card " + i)));
      }
      for (Future<HttpResponse<Buffer>> created : batch) {
        HttpResponse<Buffer> r = created.await(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
        ids.add(r.bodyAsJsonObject().getString("id"));
      }
    }
    // traffic: every tenant is read once, the first 40 a few more times (so the top 20 are clear)
    for (int from = 0; from < TENANTS; from += 25) {
      List<Future<HttpResponse<Buffer>>> batch = new ArrayList<>();
      for (int i = from; i < from + 25; i++) {
        int times = i < 40 ? 5 : 1;
        for (int t = 0; t < times; t++) {
          batch.add(Api.naming(ts.http.request(HttpMethod.GET, "/api/v1/collections/notes/records")
            .bearerTokenAuthentication(admin), ids.get(i), null).send());
        }
      }
      for (Future<HttpResponse<Buffer>> read : batch) {
        assertThat(read.await(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
    }
    ts.server().metrics().topTenants().recompute();

    MetricsScrape m = MetricsScrape.parse(ts.api.get("/metrics", admin).bodyAsString());
    Set<String> tenantsNamed = new HashSet<>();
    m.samples().forEach(s -> {
      if (s.labels().containsKey("tenant")) {
        tenantsNamed.add(s.labels().get("tenant"));
      }
    });
    assertThat(tenantsNamed).hasSize(TOP).isSubsetOf(ids.subList(0, 40));
    assertThat(m.samples()).filteredOn(s -> s.labels().containsKey("tenant"))
      .allMatch(s -> s.name().equals("tenantry_tenant_requests"));
    assertThat(m.samples().size()).as("series in the scrape").isLessThan(BOUND);
    System.out.printf("cardinality: %d tenants, %d series in the scrape, %d of them per tenant%n", TENANTS,
      m.samples().size(), tenantsNamed.size());
  }
}
