package io.tenantry.metrics;

import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.tenantry.metrics.MetricsScrape.label;
import static org.assertj.core.api.Assertions.assertThat;

/** GET /metrics: who may read it, and what a scrape taken during a load says (parsed by a Prometheus parser). */
class MetricsEndpointTest {
  private static final String SCRAPE_TOKEN = "scrape-token-for-tests-0123456789";
  private static TestServer ts;
  private static String admin;
  private static String tenantId;
  private static String writer;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("metrics.scrape-token", SCRAPE_TOKEN, "metrics.top-tenants", "5",
      "metrics.top-tenants-interval-seconds", "3600",
      "db.connect-timeout-ms", "30000", "tenancy.queue-timeout-ms", "30000"));
    admin = ts.adminToken();
    tenantId = ts.createTenant(admin, "metered").getString("id");
    ts.addUser(admin, "metered", "writer@metered.test", "member");
    // the load below must be served, not refused: the counts it asserts are of 2xx answers
    assertThat(ts.api.put("/admin/v1/tenants/metered/limits", admin,
      new JsonObject().put("rate", 100_000).put("burst", 200_000), null).statusCode()).isEqualTo(200);
    writer = ts.api.token("writer@metered.test", "password-of-writer@metered.test", "metered");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  @Test
  void withoutAnyTokenTheScrapeIsRefused() {
    HttpResponse<Buffer> r = ts.api.get("/metrics", null);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.getHeader("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void aWrongBearerTokenIsRefused() {
    assertThat(ts.api.get("/metrics", SCRAPE_TOKEN + "x").statusCode()).isEqualTo(401);
  }

  @Test
  void aTenantUsersTokenIsForbidden() {
    HttpResponse<Buffer> r = ts.api.get("/metrics", writer);
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.bodyAsString()).doesNotContain("vertx_http");
  }

  @Test
  void theScrapeTokenAndASuperAdminMayRead() {
    assertThat(ts.api.get("/metrics", SCRAPE_TOKEN).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> r = ts.api.get("/metrics", admin);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).startsWith("text/plain; version=0.0.4");
  }

  @Test
  void aScrapeDuringALoadShowsRoutesPoolsLimiterCacheAndJvm() throws Exception {
    MetricsScrape.assumeParser();
    // a load: 400 record writes and reads, 16 at a time, while scrapes run
    List<Future<?>> load = new ArrayList<>();
    List<String> scrapes = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      var req = i % 2 == 0
        ? ts.http.post("/api/v1/collections/notes/records").bearerTokenAuthentication(writer)
            .sendJsonObject(new JsonObject().put("data", new JsonObject().put("n", i)))
        : ts.http.get("/api/v1/collections/notes/records").bearerTokenAuthentication(writer).send();
      load.add(req);
      if (load.size() % 16 == 0) {
        Future.all(load.subList(load.size() - 16, load.size())).await(30, TimeUnit.SECONDS);
      }
      if (i % 100 == 50) {
        scrapes.add(ts.api.get("/metrics", SCRAPE_TOKEN).bodyAsString());
      }
    }
    Future.all(load).await(30, TimeUnit.SECONDS);
    scrapes.forEach(MetricsScrape::parse); // every scrape during the load parses

    ts.server().metrics().topTenants().recompute(); // the interval's end, now rather than in an hour
    // the job gauges (tenants by status) are refreshed by a timer of their own: scrape until it has run
    io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(30), "the job gauges in the scrape", () ->
      !MetricsScrape.parse(ts.api.get("/metrics", SCRAPE_TOKEN).bodyAsString())
        .named("tenantry_tenants", label("status", "active")).isEmpty());
    MetricsScrape m = MetricsScrape.parse(ts.api.get("/metrics", SCRAPE_TOKEN).bodyAsString());

    var records = label("route", "/api/v1/collections/:collection/records");
    assertThat(m.sum("vertx_http_server_requests_total", records.and(label("method", "POST")).and(label("code", "2xx"))))
      .isEqualTo(200);
    assertThat(m.sum("vertx_http_server_requests_total", records.and(label("method", "GET")).and(label("code", "2xx"))))
      .isEqualTo(200);
    assertThat(m.named("vertx_http_server_response_time_seconds_bucket", records.and(label("le", "0.1"))))
      .isNotEmpty();
    // no raw path anywhere: only route templates
    assertThat(m.samples()).noneMatch(s -> s.labels().containsKey("path"));
    assertThat(m.samples()).noneMatch(s -> String.valueOf(s.labels().get("route")).matches(".*[0-9a-f]{8}-[0-9a-f]{4}.*"));

    assertThat(m.named("tenantry_pool_in_flight", label("tier", "shared"))).hasSize(1);
    assertThat(m.named("tenantry_pool_cap_rejected_total")).hasSize(1);
    assertThat(m.named("tenantry_pool_dedicated_budget")).singleElement().extracting(MetricsScrape.Sample::value)
      .isNotEqualTo(0.0);
    assertThat(m.sum("tenantry_ratelimit_decisions_total", label("decision", "admitted"))).isGreaterThanOrEqualTo(400);
    assertThat(m.named("tenantry_ratelimit_breaker_state", label("state", "closed")))
      .singleElement().extracting(MetricsScrape.Sample::value).isEqualTo(1.0);
    assertThat(m.named("tenantry_ratelimit_fallback_mode")).singleElement().extracting(MetricsScrape.Sample::value)
      .isEqualTo(0.0);
    assertThat(m.sum("tenantry_ratelimit_redis_calls_total", label("result", "sent"))).isGreaterThan(0);
    assertThat(m.sum("tenantry_tenant_cache_lookups_total", label("result", "hit"))).isGreaterThan(0);
    assertThat(m.named("tenantry_cluster_members")).singleElement().extracting(MetricsScrape.Sample::value)
      .isEqualTo(1.0);
    assertThat(m.named("tenantry_event_loop_lag_seconds_count")).singleElement()
      .extracting(MetricsScrape.Sample::value).matches(v -> v > 0);
    assertThat(m.named("jvm_memory_used_bytes")).isNotEmpty();
    assertThat(m.named("tenantry_tenants", label("status", "active"))).isNotEmpty();
    assertThat(m.named("tenantry_tenant_requests", label("tenant", tenantId))).singleElement()
      .extracting(MetricsScrape.Sample::value).isEqualTo(400.0);
  }

  /**
   * The HTTP series name the route a request took however it ended: refused by validation, not found, rerouted from
   * /t/{slug}/ (which passes the root handlers twice, and still counts once), and refused before any route (no token).
   */
  @Test
  void eachRequestCountsOnceUnderTheRouteItTookWhateverItsEnd() throws Exception {
    ts.createTenant(admin, "routed");
    ts.addUser(admin, "routed", "reader@routed.test", "member");
    String reader = ts.api.token("reader@routed.test", "password-of-reader@routed.test", "routed");
    var route = label("route", "/api/v1/collections/:collection/records/:id").and(label("method", "GET"));
    MetricsScrape before = MetricsScrape.parse(ts.api.get("/metrics", SCRAPE_TOKEN).bodyAsString());

    String missing = "/api/v1/collections/notes/records/" + java.util.UUID.randomUUID();
    assertThat(status(ts.http.get("/api/v1/collections/notes/records/not-a-uuid").bearerTokenAuthentication(reader)))
      .isEqualTo(400);
    assertThat(status(ts.http.get(missing).bearerTokenAuthentication(reader))).isEqualTo(404);
    assertThat(status(ts.http.get("/t/routed" + missing).bearerTokenAuthentication(reader))).isEqualTo(404);
    assertThat(status(ts.http.get(missing))).isEqualTo(401);

    MetricsScrape after = MetricsScrape.parse(ts.api.get("/metrics", SCRAPE_TOKEN).bodyAsString());
    String requests = "vertx_http_server_requests_total";
    assertThat(after.sum(requests, route.and(label("code", "4xx"))) - before.sum(requests, route.and(label("code", "4xx"))))
      .isEqualTo(3);
    var unrouted = label("route", "").and(label("method", "GET")).and(label("code", "4xx"));
    assertThat(after.sum(requests, unrouted) - before.sum(requests, unrouted)).isEqualTo(1);
    assertThat(after.named("vertx_http_server_response_time_seconds_count", route.and(label("code", "4xx"))))
      .singleElement().extracting(MetricsScrape.Sample::value).isEqualTo(after.sum(requests, route.and(label("code", "4xx"))));
    assertThat(after.named("vertx_http_server_active_requests")).singleElement()
      .extracting(MetricsScrape.Sample::value).isEqualTo(1.0); // the scrape itself
  }

  private static int status(io.vertx.ext.web.client.HttpRequest<Buffer> request) throws Exception {
    return request.send().await(30, TimeUnit.SECONDS).statusCode();
  }
}
