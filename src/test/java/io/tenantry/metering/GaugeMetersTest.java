package io.tenantry.metering;

import io.tenantry.support.Await;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gauge sampler in every tier (records stored, storage files and bytes equal to what the tenant holds and to
 * GET /api/v1/files:usage; a second sample of the hour replaces the first), query units charged to each tenant a
 * cross-tenant query read, and file downloads counted as egress.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GaugeMetersTest {
  private static final List<String> TIERS = List.of("shared", "schema", "database");
  private TestServer ts;
  private String root;
  private final Map<String, String> tokens = new HashMap<>();
  private final Map<String, Integer> records = Map.of("shared", 3, "schema", 5, "database", 7);

  @BeforeAll
  void start() {
    ts = TestServer.start(Map.of("metering.flush-ms", "100", "db.connect-timeout-ms", "30000"));
    root = ts.adminToken();
    for (String tier : TIERS) {
      String slug = "gm-" + tier;
      HttpResponse<Buffer> r = ts.api.post("/admin/v1/tenants", root,
        new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
      ts.addUser(root, slug, "m@" + slug + ".test", "tenant_admin");
      String token = ts.api.token("m@" + slug + ".test", "password-of-m@" + slug + ".test", slug);
      tokens.put(tier, token);
      for (int i = 0; i < records.get(tier); i++) {
        assertThat(ts.api.post("/api/v1/collections/orders/records", token, new JsonObject().put("i", i)).statusCode())
          .isEqualTo(201);
      }
    }
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  private HttpResponse<Buffer> upload(String tier, String path, int size) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) tier.length());
    return Await.result(ts.api.request(HttpMethod.PUT, "/api/v1/files/" + path, tokens.get(tier))
      .putHeader("Content-Type", "application/octet-stream").sendBuffer(Buffer.buffer(bytes)), 30);
  }

  @Test
  void theSamplerStoresEachTiersExactCountsAndStorageAsFilesUsageShowsIt() {
    Map<String, Integer> sizes = Map.of("shared", 1000, "schema", 2345, "database", 70_000);
    for (String tier : TIERS) {
      assertThat(upload(tier, "a/one.bin", sizes.get(tier)).statusCode()).isIn(200, 201);
      assertThat(upload(tier, "a/two.bin", 11).statusCode()).isIn(200, 201);
    }
    Instant now = Instant.now();
    int sampled = Await.result(ts.server().metering().gauges().sampleAll(now), 60);
    assertThat(sampled).isGreaterThanOrEqualTo(TIERS.size());
    for (String tier : TIERS) {
      String slug = "gm-" + tier;
      assertThat(gauge(slug, "records_stored", now)).as(tier).isEqualTo(records.get(tier).longValue());
      JsonObject usage = ts.api.get("/api/v1/files:usage", tokens.get(tier)).bodyAsJsonObject();
      assertThat(usage.getLong("bytes")).isEqualTo(sizes.get(tier) + 11L);
      assertThat(gauge(slug, "storage_bytes", now)).as(tier).isEqualTo(usage.getLong("bytes"));
      assertThat(gauge(slug, "storage_files", now)).as(tier).isEqualTo(usage.getLong("files")).isEqualTo(2L);
    }

    // a second sample of the hour replaces the first: a deleted file and a new record show, nothing is added up
    assertThat(ts.api.delete("/api/v1/files/a/two.bin", tokens.get("schema"), null).statusCode()).isEqualTo(204);
    assertThat(ts.api.post("/api/v1/collections/orders/records", tokens.get("database"), new JsonObject()).statusCode())
      .isEqualTo(201);
    Await.result(ts.server().metering().gauges().sampleAll(now), 60);
    assertThat(gauge("gm-schema", "storage_files", now)).isEqualTo(1L);
    assertThat(gauge("gm-schema", "storage_bytes", now)).isEqualTo(2345L);
    assertThat(gauge("gm-database", "records_stored", now)).isEqualTo(8L);
    assertThat(gauge("gm-shared", "records_stored", now)).isEqualTo(3L);

    // the usage API shows the sample
    JsonArray items = ts.api.get("/api/v1/usage?meter=records_stored", tokens.get("schema")).bodyAsJsonObject()
      .getJsonArray("items");
    assertThat(items.stream().map(o -> ((JsonObject) o).getLong("quantity"))).containsExactly(5L);
    Await.result(ts.server().metering().gauges().sampleAll(now), 60);
    items = ts.api.get("/api/v1/usage?meter=records_stored", tokens.get("schema")).bodyAsJsonObject().getJsonArray("items");
    assertThat(items.stream().map(o -> ((JsonObject) o).getLong("quantity"))).containsExactly(5L);
  }

  @Test
  void aCrossTenantQueryChargesOneQueryUnitToEachTenantItRead() {
    long before = counted("gm-shared", "query_units") + counted("gm-schema", "query_units") + counted("gm-database", "query_units");
    assertThat(before).isZero();
    HttpResponse<Buffer> answer = ts.api.post("/admin/v1/queries", root, new JsonObject().put("collection", "orders")
      .put("tenants", new JsonArray().add("gm-shared").add("gm-schema").add("gm-database")));
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    assertThat(answer.bodyAsString()).contains("\"succeeded\":3");
    Await.result(ts.server().metering().flusher().flush(), 30);
    for (String tier : TIERS) {
      assertThat(counted("gm-" + tier, "query_units")).as(tier).isEqualTo(1L);
    }
  }

  /**
   * A flush asked for while another is storing (here held by a lock on the flush table) stores what was counted
   * after that one drained, not only what it had: the caller's counts are there when its flush answers.
   */
  @Test
  void aFlushAskedWhileAnotherStoresStoresWhatWasCountedAfterThatOnesDrain() throws SQLException {
    java.util.UUID tenant = java.util.UUID.fromString(text("SELECT id FROM platform.tenants WHERE slug = 'gm-shared'"));
    UsageMeter meter = ts.server().metering().meter();
    UsageFlusher flusher = ts.server().metering().flusher();
    Await.result(flusher.flush(), 30);
    long before = counted("gm-shared", "query_units");
    try (Connection lock = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser())) {
      lock.setAutoCommit(false);
      try (Statement st = lock.createStatement()) {
        st.execute("LOCK TABLE platform.usage_flushes IN EXCLUSIVE MODE"); // reads go on, inserts wait
      }
      meter.add(tenant, Meter.QUERY_UNITS, 1);
      io.vertx.core.Future<Void> first = flusher.flush();
      meter.add(tenant, Meter.QUERY_UNITS, 2);
      io.vertx.core.Future<Void> second = flusher.flush();
      assertThat(first.isComplete() || second.isComplete()).as("the stores wait for the lock").isFalse();
      lock.commit();
      Await.result(second, 30);
    }
    assertThat(counted("gm-shared", "query_units") - before).isEqualTo(3L);
  }

  @Test
  void aFileDownloadCountsItsBytesAsEgress() {
    assertThat(upload("shared", "big/egress.bin", 50_000).statusCode()).isIn(200, 201);
    Await.result(ts.server().metering().flusher().flush(), 30);
    long before = counted("gm-shared", "egress_bytes");
    HttpResponse<Buffer> got = ts.api.get("/api/v1/files/big/egress.bin", tokens.get("shared"));
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body().length()).isEqualTo(50_000);
    // counted when the server's response ended, which may be just after the client has it: awaited
    io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(20), "the download's bytes stored as egress",
      () -> counted("gm-shared", "egress_bytes") - before >= 50_000);
  }

  @Test
  void aGaugeIsInvoicedOnItsAverageOverThePeriodNotTheSumOfItsHours() throws Exception {
    assertThat(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/gauged", root),
      new JsonObject().put("rate", 1000).put("burst", 1000)).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> priced = ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/plans/gauged/pricing", root),
      new JsonObject().put("currency", "EUR").put("base_fee", 0).put("meters", new JsonObject()
        .put("records_stored", new JsonObject().put("included", 0).put("tiers", new JsonArray()
          .add(new JsonObject().putNull("up_to").put("unit_price", 1))))));
    assertThat(priced.statusCode()).as(priced.bodyAsString()).isEqualTo(200);
    String admin = ts.tenantWithUser(root, "gm-bill", "tenant_admin");
    Instant monthStart = Instant.now().atZone(java.time.ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS)
      .toInstant();
    assertThat(ts.api.post("/admin/v1/tenants/gm-bill/subscriptions", root, new JsonObject().put("plan", "gauged")
      .put("effective_from", monthStart.toString())).statusCode()).isEqualTo(201);
    long periodHours = java.time.Duration.between(monthStart,
      monthStart.atZone(java.time.ZoneOffset.UTC).plusMonths(1).toInstant()).toHours();
    // ten hours at 7,200 records and one at 3,000: the peak is 7,200, the hours add up to 75,000, the average over
    // the month is 75,000 / hours (104.17 in a 720-hour month: 104)
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      for (int h = 0; h < 11; h++) {
        st.execute("INSERT INTO platform.usage_hourly (tenant_id, meter, hour, quantity) SELECT id, 'records_stored', '"
          + monthStart.plus(h, ChronoUnit.HOURS) + "', " + (h < 10 ? 7200 : 3000) + " FROM platform.tenants WHERE slug = 'gm-bill'");
      }
    }
    long expected = java.math.BigDecimal.valueOf(75_000).divide(java.math.BigDecimal.valueOf(periodHours), 0,
      java.math.RoundingMode.HALF_UP).longValueExact();
    JsonObject draft = ts.api.get("/admin/v1/tenants/gm-bill/invoices", admin).bodyAsJsonObject().getJsonArray("items")
      .getJsonObject(0);
    JsonObject invoice = ts.api.get("/admin/v1/tenants/gm-bill/invoices/" + draft.getString("id"), admin).bodyAsJsonObject();
    assertThat(invoice.getJsonArray("lines").stream().map(o -> ((JsonObject) o).getString("meter") + ":"
      + ((JsonObject) o).getLong("quantity") + "x" + ((JsonObject) o).getLong("unit_price")))
      .containsExactly("records_stored:" + expected + "x1");
    assertThat(invoice.getLong("total")).isEqualTo(expected);
  }

  private long gauge(String slug, String meter, Instant at) {
    return one("SELECT coalesce(max(quantity), -1) FROM platform.usage_hourly u JOIN platform.tenants t ON t.id = u.tenant_id"
      + " WHERE t.slug = '" + slug + "' AND meter = '" + meter + "' AND hour = '" + at.truncatedTo(ChronoUnit.HOURS) + "'");
  }

  private long counted(String slug, String meter) {
    return one("SELECT coalesce(sum(quantity), 0) FROM platform.usage_flushes f JOIN platform.tenants t ON t.id = f.tenant_id"
      + " WHERE t.slug = '" + slug + "' AND meter = '" + meter + "'");
  }

  private String text(String sql) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private long one(String sql) {
    return Long.parseLong(text(sql));
  }

}
