package io.tenantry.queries;

import io.tenantry.support.Await;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /admin/v1/queries over tenants of every tier: each tenant's records come back exactly, labelled with that
 * tenant and no other; a tenant that fails is one error line and the others are all there; deleted tenants are
 * skipped with an error line, archived ones read.
 */
class CrossTenantQueryTest {
  private static final int RECORDS = 4;
  private static final int TIMEOUT_MS = 1500;
  private static TestServer ts;
  private static String superAdmin;
  /** Slug to tier, in creation order. */
  private static final Map<String, String> TENANTS = new LinkedHashMap<>();
  /** Slug to the ids of its "orders" records, in creation order. */
  private static final Map<String, List<String>> ORDERS = new HashMap<>();
  private static final Map<String, String> IDS = new HashMap<>();

  @BeforeAll
  static void start() {
    // each loop's share of the pool (5 connections) is above the concurrency: a part stuck on a lock holds one
    // connection, and the others still get theirs (conf/tenantry.yaml, queries.concurrency)
    ts = TestServer.start(Map.of("queries.tenant-timeout-ms", Integer.toString(TIMEOUT_MS), "queries.concurrency", "3",
      "db.pool-size", "11"));
    superAdmin = ts.adminToken();
    TENANTS.put("xq-shared-1", "shared");
    TENANTS.put("xq-shared-2", "shared");
    TENANTS.put("xq-schema", "schema");
    TENANTS.put("xq-db", "database");
    TENANTS.put("xq-slow", "schema");
    TENANTS.put("xq-archived", "shared");
    TENANTS.put("xq-deleted", "shared");
    TENANTS.forEach((slug, tier) -> create(slug, tier, null));
    TENANTS.put("xq-kid", "database");
    create("xq-kid", "database", "xq-shared-1");
    for (String slug : TENANTS.keySet()) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        ids.add(write(slug, "orders", new JsonObject().put("owner", slug).put("n", i).put("kind", i % 2 == 0 ? "even" : "odd")));
      }
      ORDERS.put(slug, ids);
      write(slug, "invoices", new JsonObject().put("owner", slug));
    }
    assertThat(ts.api.post("/admin/v1/tenants/xq-archived/archive", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(ts.api.delete("/admin/v1/tenants/xq-deleted", superAdmin, null).statusCode()).isEqualTo(204);
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static void create(String slug, String tier, String parent) {
    JsonObject body = new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier);
    if (parent != null) {
      body.put("parent", parent);
    }
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", superAdmin, body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    IDS.put(slug, created.bodyAsJsonObject().getString("id"));
  }

  private static String write(String slug, String collection, JsonObject data) {
    HttpResponse<Buffer> created = ts.api.post("/t/" + slug + "/api/v1/collections/" + collection + "/records", superAdmin, data);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  /** The answer's lines, checked to be NDJSON ending in one summary line. */
  private static List<JsonObject> query(JsonObject body) {
    HttpResponse<Buffer> answer = ts.api.post("/admin/v1/queries", superAdmin, body);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    assertThat(answer.getHeader("Content-Type")).isEqualTo("application/x-ndjson");
    String text = answer.bodyAsString();
    assertThat(text).endsWith("\n");
    List<JsonObject> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      lines.add(new JsonObject(line));
    }
    assertThat(lines.get(lines.size() - 1).containsKey("summary")).isTrue();
    assertThat(lines.subList(0, lines.size() - 1)).noneMatch(line -> line.containsKey("summary"));
    return lines;
  }

  /** Record ids per tenant, each record checked to be that tenant's own. */
  private static Map<String, List<String>> recordsByTenant(List<JsonObject> lines) {
    Map<String, List<String>> byTenant = new LinkedHashMap<>();
    for (JsonObject line : lines) {
      if (line.containsKey("record")) {
        String tenant = line.getString("tenant");
        JsonObject record = line.getJsonObject("record");
        assertThat(record.getJsonObject("data").getString("owner")).as("a record on %s's line", tenant).isEqualTo(tenant);
        assertThat(ORDERS.get(tenant)).contains(record.getString("id"));
        byTenant.computeIfAbsent(tenant, t -> new ArrayList<>()).add(record.getString("id"));
      }
    }
    return byTenant;
  }

  private static Map<String, JsonObject> errorsByTenant(List<JsonObject> lines) {
    Map<String, JsonObject> errors = new HashMap<>();
    lines.stream().filter(line -> line.containsKey("error") && line.containsKey("tenant"))
      .forEach(line -> assertThat(errors.put(line.getString("tenant"), line.getJsonObject("error"))).isNull());
    return errors;
  }

  private static JsonObject summary(List<JsonObject> lines) {
    return lines.get(lines.size() - 1).getJsonObject("summary");
  }

  private static JsonObject named(String... slugs) {
    return new JsonObject().put("collection", "orders").put("tenants", new JsonArray(List.of((Object[]) slugs)));
  }

  @Test
  void everyTierAnswersWithItsOwnRecordsWhileALockedTenantTimesOut() throws Exception {
    String table = "\"t_" + IDS.get("xq-slow").replace("-", "") + "\".records";
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      st.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
      long started = System.nanoTime();
      List<JsonObject> lines = query(named("xq-shared-1", "xq-schema", "xq-slow", "xq-db", "xq-shared-2", "xq-kid"));
      c.rollback();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(TIMEOUT_MS * 3L);

      Map<String, List<String>> records = recordsByTenant(lines);
      for (String slug : List.of("xq-shared-1", "xq-schema", "xq-db", "xq-shared-2", "xq-kid")) {
        assertThat(records.get(slug)).as("%s in %s", slug, lines).containsExactlyElementsOf(ORDERS.get(slug));
      }
      assertThat(records).doesNotContainKey("xq-slow");
      Map<String, JsonObject> errors = errorsByTenant(lines);
      assertThat(errors).containsOnlyKeys("xq-slow");
      assertThat(errors.get("xq-slow").getInteger("status")).isEqualTo(504);
      assertThat(errors.get("xq-slow").getString("type")).endsWith("/tenant-timeout");
      assertThat(errors.get("xq-slow").getString("detail")).doesNotContain("SELECT").doesNotContain("records");
      JsonObject summary = summary(lines);
      assertThat(summary.getLong("tenants")).isEqualTo(6);
      assertThat(summary.getLong("succeeded")).isEqualTo(5);
      assertThat(summary.getLong("failed")).isEqualTo(1);
      assertThat(summary.getLong("records")).isEqualTo(5L * RECORDS);
      assertThat(summary.getLong("elapsed_ms")).isGreaterThanOrEqualTo(0);
    }
    // the tenant answers again once its table is free
    assertThat(recordsByTenant(query(named("xq-slow"))).get("xq-slow")).containsExactlyElementsOf(ORDERS.get("xq-slow"));
  }

  @Test
  void aTenantWhoseQueryFailsIsAnErrorLineAndTheRestContinue() throws Exception {
    String schema = "\"t_" + IDS.get("xq-schema").replace("-", "") + "\"";
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE " + schema + ".records RENAME TO records_away");
      try {
        List<JsonObject> lines = query(named("xq-schema", "xq-shared-2", "xq-db"));
        JsonObject error = errorsByTenant(lines).get("xq-schema");
        assertThat(error.getInteger("status")).isEqualTo(502);
        assertThat(error.getString("type")).endsWith("/tenant-query-failed");
        assertThat(error.getString("detail")).contains("42P01").doesNotContain("records_away").doesNotContain("t_");
        assertThat(recordsByTenant(lines)).containsOnlyKeys("xq-shared-2", "xq-db");
        assertThat(summary(lines).getLong("failed")).isEqualTo(1);
      } finally {
        st.execute("ALTER TABLE " + schema + ".records_away RENAME TO records");
      }
    }
  }

  @Test
  void theFilterIsJsonContainmentAndTheLimitIsPerTenant() {
    List<JsonObject> lines = query(named("xq-shared-1", "xq-schema", "xq-db")
      .put("filter", new JsonObject().put("kind", "odd")).put("limit", 1));
    Map<String, List<String>> records = recordsByTenant(lines);
    for (String slug : List.of("xq-shared-1", "xq-schema", "xq-db")) {
      assertThat(records.get(slug)).as(slug).containsExactly(ORDERS.get(slug).get(1));
    }
    lines.stream().filter(line -> line.containsKey("record")).forEach(line ->
      assertThat(line.getJsonObject("record").getJsonObject("data").getString("kind")).isEqualTo("odd"));
    assertThat(summary(lines).getLong("records")).isEqualTo(3);

    Map<String, List<String>> nested = recordsByTenant(query(named("xq-db")
      .put("filter", new JsonObject().put("owner", "xq-db").put("n", 2))));
    assertThat(nested.get("xq-db")).containsExactly(ORDERS.get("xq-db").get(2));
    // another tenant's value matches nothing here: the filter narrows a tenant's own rows, never widens them
    assertThat(recordsByTenant(query(named("xq-db").put("filter", new JsonObject().put("owner", "xq-schema")))))
      .isEmpty();
  }

  @Test
  void aSubtreeIsTheTenantAndEveryTenantBelowIt() {
    List<JsonObject> lines = query(new JsonObject().put("collection", "orders").put("subtree", "xq-shared-1"));
    Map<String, List<String>> records = recordsByTenant(lines);
    assertThat(records).containsOnlyKeys("xq-shared-1", "xq-kid");
    assertThat(records.get("xq-kid")).containsExactlyElementsOf(ORDERS.get("xq-kid"));
    assertThat(summary(lines).getLong("tenants")).isEqualTo(2);
  }

  @Test
  void allReadsArchivedTenantsAndSkipsDeletedOnesWithAnErrorLine() {
    List<JsonObject> lines = query(new JsonObject().put("collection", "orders").put("all", true));
    Map<String, List<String>> records = recordsByTenant(lines);
    for (String slug : TENANTS.keySet()) {
      if (!slug.equals("xq-deleted")) {
        assertThat(records.get(slug)).as(slug).containsExactlyElementsOf(ORDERS.get(slug));
      }
    }
    assertThat(records.get("xq-archived")).hasSize(RECORDS);
    JsonObject deleted = errorsByTenant(lines).get("xq-deleted");
    assertThat(deleted.getInteger("status")).isEqualTo(409);
    assertThat(deleted.getString("type")).endsWith("/tenant-not-queryable");
    JsonObject summary = summary(lines);
    assertThat(summary.getLong("skipped")).isEqualTo(1);
    assertThat(summary.getLong("records")).isEqualTo((TENANTS.size() - 1L) * RECORDS);
  }

  @Test
  void badRequestsAreRefusedBeforeAnythingStreams() {
    JsonObject unknown = assertProblem(ts.api.post("/admin/v1/queries", superAdmin,
      named("xq-shared-1", "no-such-one", "nor-this")), 400);
    assertThat(unknown.getString("detail")).contains("no-such-one").contains("nor-this");
    assertProblem(ts.api.post("/admin/v1/queries", superAdmin,
      new JsonObject().put("collection", "orders").put("subtree", "no-such-root")), 400);
    assertThat(assertProblem(ts.api.post("/admin/v1/queries", superAdmin,
      named("xq-shared-1").put("filter", new JsonArray().add(1))), 400).getString("detail")).contains("filter");
    assertThat(assertProblem(ts.api.post("/admin/v1/queries", superAdmin,
      named("xq-shared-1").put("all", true)), 400).getString("detail")).contains("exactly one");
    assertProblem(ts.api.post("/admin/v1/queries", superAdmin, new JsonObject().put("collection", "orders")), 400);
    assertProblem(ts.api.post("/admin/v1/queries", superAdmin,
      new JsonObject().put("collection", "orders").put("all", false)), 400);
    assertProblem(ts.api.post("/admin/v1/queries", superAdmin, named("xq-shared-1", "xq-shared-1")), 400);
    assertProblem(ts.api.post("/admin/v1/queries", superAdmin, named("xq-shared-1").put("limit", 501)), 400);
    assertProblem(ts.api.post("/admin/v1/queries", superAdmin, named("xq-shared-1").put("limit", 0)), 400);
    assertProblem(ts.api.post("/admin/v1/queries", superAdmin, named("Bad Slug")), 400);
    assertProblem(ts.api.post("/admin/v1/queries", superAdmin, named("xq-shared-1").put("collection", "Orders")), 400);
  }

  @Test
  void onlyASuperAdminRunsThem() {
    String admin = ts.tenantWithUser(superAdmin, "xq-admins", "tenant_admin");
    assertProblem(ts.api.post("/admin/v1/queries", admin, named("xq-admins")), 403);
    assertProblem(ts.api.post("/admin/v1/queries", admin,
      new JsonObject().put("collection", "orders").put("subtree", "xq-admins")), 403);
    assertProblem(ts.api.post("/admin/v1/queries", null, named("xq-admins")), 401);
  }

  @Test
  void aClientThatLeavesMidStreamDoesNotHurtTheServer() {
    HttpClient client = ts.vertx.createHttpClient();
    try {
      CompletableFuture<Integer> status = new CompletableFuture<>();
      client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
          .setPort(ts.config.httpPort()).setURI("/admin/v1/queries")
          .putHeader("Authorization", "Bearer " + superAdmin).putHeader("Content-Type", "application/json"))
        .compose(request -> request.send(new JsonObject().put("collection", "orders").put("all", true).toBuffer()))
        .onSuccess(response -> {
          status.complete(response.statusCode());
          response.exceptionHandler(e -> { }); // the closed connection, which this test causes
          response.request().connection().close(); // gone before the stream ends
        })
        .onFailure(status::completeExceptionally);
      assertThat(status.join()).isEqualTo(200);
    } finally {
      Await.result(client.close(), 10);
    }
    // the next query is answered in full
    assertThat(summary(query(new JsonObject().put("collection", "orders").put("all", true))).getLong("skipped"))
      .isEqualTo(1);
  }
}
