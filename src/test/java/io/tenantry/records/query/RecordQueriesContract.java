package io.tenantry.records.query;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters, sorts, cursors, projections, counts, the unindexed-query guard and declared indexes — run once per
 * isolation tier (the subclasses): the query API must behave the same in all three.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RecordQueriesContract {
  static final String ORDERS = "/api/v1/collections/orders/records";
  static final String BIG = "/api/v1/collections/big/records";
  static final int BIG_ROWS = 5_000;
  private TestServer ts;
  private String member;
  private String admin;
  private String superAdmin;
  private String database;
  private String schema;
  private UUID tenantId;

  abstract String isolation();

  @BeforeAll
  void start() throws SQLException {
    ts = TestServer.start(Map.of("records.max-rows-scanned", "1000", "records.count-exact-limit", "10",
      // a busy machine: the start's first connections can take seconds
      "db.connect-timeout-ms", "30000", "tenancy.queue-timeout-ms", "30000"));
    superAdmin = ts.adminToken();
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", superAdmin,
      new JsonObject().put("slug", "queries").put("name", "Queries").put("isolation", isolation()));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    JsonObject tenant = created.bodyAsJsonObject();
    UUID id = UUID.fromString(tenant.getString("id"));
    tenantId = id;
    database = isolation().equals("database") ? tenant.getJsonObject("database").getString("name") : ts.config.dbName();
    schema = switch (isolation()) {
      case "shared" -> "shared";
      case "schema" -> "t_" + id.toString().replace("-", "");
      default -> "tenant";
    };
    ts.addUser(superAdmin, "queries", "member@queries.test", "member");
    ts.addUser(superAdmin, "queries", "admin@queries.test", "tenant_admin");
    member = ts.api.token("member@queries.test", "password-of-member@queries.test", "queries");
    admin = ts.api.token("admin@queries.test", "password-of-admin@queries.test", "queries");
    for (int i = 0; i < 30; i++) {
      JsonObject data = new JsonObject().put("n", i).put("status", i % 3 == 0 ? "open" : "closed")
        .put("total", i * 10).put("name", "item-" + (char) ('a' + i % 26))
        .put("customer", new JsonObject().put("id", "c" + (i % 5)))
        .put("placed_at", String.format("2026-01-%02dT10:00:00Z", i + 1));
      if (i % 2 == 0) {
        data.put("tags", new JsonArray().add("even").add("t" + i));
      }
      HttpResponse<Buffer> r = ts.api.post(ORDERS, member, data);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    }
    // A large collection, written straight into the tier's table (as the superuser): the guard's subject.
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("INSERT INTO \"" + schema + "\".records (tenant_id, collection, id, data) SELECT '" + id
        + "', 'big', gen_random_uuid(), jsonb_build_object('total', g, 'kind', 'k' || (g % 10)) FROM generate_series(1, "
        + BIG_ROWS + ") g");
      st.execute("ANALYZE \"" + schema + "\".records");
    }
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  static String q(String name, String value) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private JsonObject list(String path, String... params) {
    HttpResponse<Buffer> r = ts.api.get(path + "?" + String.join("&", params), member);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static List<Integer> ns(JsonObject page) {
    List<Integer> ns = new ArrayList<>();
    page.getJsonArray("items").forEach(item -> ns.add(((JsonObject) item).getJsonObject("data").getInteger("n")));
    return ns;
  }

  @Test
  void equalityOnAFieldKeepsOnlyMatchingRecords() {
    assertThat(ns(list(ORDERS, q("filter[status]", "open"), "limit=100")))
      .containsExactly(0, 3, 6, 9, 12, 15, 18, 21, 24, 27);
    assertThat(ns(list(ORDERS, q("filter[status][eq]", "open"), q("filter[total][gte]", "200"), "limit=100")))
      .containsExactly(21, 24, 27);
  }

  @Test
  void nestedPathsInAndRanges() {
    assertThat(ns(list(ORDERS, q("filter[customer.id][in]", "c1,c2"), q("filter[n][lt]", "10"), "limit=100")))
      .containsExactly(1, 2, 6, 7);
    assertThat(ns(list(ORDERS, q("filter[customer.id][in]", "[\"c4\"]"), "limit=100"))).containsExactly(4, 9, 14, 19, 24, 29);
    assertThat(ns(list(ORDERS, q("filter[total][gt]", "250"), q("filter[total][lte]", "280"), "limit=100")))
      .containsExactly(26, 27, 28);
    assertThat(ns(list(ORDERS, q("filter[name][gte]", "item-x"), "limit=100"))).containsExactly(23, 24, 25);
  }

  @Test
  void timestampRangesCompareTimesNotText() {
    // 2026-01-03T10:00Z is 2026-01-03T11:00+01:00: the same instant
    assertThat(ns(list(ORDERS, q("filter[placed_at][lte]", "2026-01-03T11:00:00+01:00"), "limit=100"))).containsExactly(0, 1, 2);
    assertThat(ns(list(ORDERS, q("filter[created_at][gte]", "2000-01-01T00:00:00Z"), "limit=1"))).hasSize(1);
    assertThat(ns(list(ORDERS, q("filter[created_at][lt]", "2000-01-01T00:00:00Z")))).isEmpty();
  }

  @Test
  void existsContainsAndPrefix() {
    assertThat(ns(list(ORDERS, q("filter[tags][exists]", "false"), q("filter[n][lt]", "6"), "limit=100"))).containsExactly(1, 3, 5);
    assertThat(ns(list(ORDERS, q("filter[tags][contains]", "[\"t4\"]"), "limit=100"))).containsExactly(4);
    assertThat(ns(list(ORDERS, q("filter[customer][contains]", "{\"id\":\"c3\"}"), q("filter[n][lt]", "10"), "limit=100")))
      .containsExactly(3, 8);
    assertThat(ns(list(ORDERS, q("filter[name][prefix]", "item-z"), "limit=100"))).containsExactly(25);
  }

  @Test
  void quotedValuesAreStringsAndBareNumbersAreNumbers() {
    assertThat(ns(list(ORDERS, q("filter[total]", "30")))).containsExactly(3);
    assertThat(ns(list(ORDERS, q("filter[total]", "\"30\"")))).isEmpty();
  }

  @Test
  void sortedPagingVisitsEveryRecordOnceInOrder() {
    for (String sort : List.of("total", "-total", "-created_at", "updated_at", "status", "-id")) {
      List<JsonObject> seen = new ArrayList<>();
      String cursor = null;
      do {
        JsonObject page = list(ORDERS, q("sort", sort), "limit=7" + (cursor == null ? "" : "&" + q("cursor", cursor)));
        page.getJsonArray("items").forEach(item -> seen.add((JsonObject) item));
        cursor = page.getString("next_cursor");
      } while (cursor != null);
      assertThat(seen).as(sort).hasSize(30);
      Set<String> ids = new HashSet<>();
      seen.forEach(r -> ids.add(r.getString("id")));
      assertThat(ids).as(sort).hasSize(30);
      if (sort.equals("total")) {
        assertThat(seen.stream().map(r -> r.getJsonObject("data").getInteger("n")).toList())
          .isEqualTo(java.util.stream.IntStream.range(0, 30).boxed().toList());
      }
      if (sort.equals("-total")) {
        assertThat(seen.get(0).getJsonObject("data").getInteger("n")).isEqualTo(29);
      }
    }
  }

  @Test
  void aCursorWorksOnlyForItsOwnCollectionSortAndFilters() {
    String cursor = list(ORDERS, q("sort", "total"), "limit=2").getString("next_cursor");
    assertThat(cursor).isNotNull();
    assertProblem(ts.api.get(ORDERS + "?" + q("sort", "-total") + "&" + q("cursor", cursor), member), 400);
    assertProblem(ts.api.get(ORDERS + "?" + q("cursor", cursor), member), 400);
    assertProblem(ts.api.get(ORDERS + "?" + q("sort", "total") + "&" + q("filter[status]", "open") + "&" + q("cursor", cursor), member), 400);
    assertProblem(ts.api.get("/api/v1/collections/other/records?" + q("sort", "total") + "&" + q("cursor", cursor), member), 400);
    String tampered = cursor.substring(0, 5) + (cursor.charAt(5) == 'A' ? 'B' : 'A') + cursor.substring(6);
    assertProblem(ts.api.get(ORDERS + "?" + q("sort", "total") + "&" + q("cursor", tampered), member), 400);
    assertThat(list(ORDERS, q("sort", "total"), "limit=2", q("cursor", cursor)).getJsonArray("items")).hasSize(2);
  }

  @Test
  void fieldsProjectTheData() {
    JsonObject first = list(ORDERS, q("fields", "status,customer.id"), "limit=1").getJsonArray("items").getJsonObject(0);
    assertThat(first.getJsonObject("data")).isEqualTo(new JsonObject().put("status", "open")
      .put("customer", new JsonObject().put("id", "c0")));
    assertThat(first.getString("id")).isNotNull();
    assertThat(first.getLong("version")).isEqualTo(1L);
  }

  @Test
  void countIsExactUpToTheBoundThenEstimated() {
    JsonObject small = list(ORDERS, q("filter[status]", "open"), "count=true", "limit=1").getJsonObject("count");
    assertThat(small).isEqualTo(new JsonObject().put("value", 10).put("exact", true));
    JsonObject large = list(ORDERS, "count=true", "limit=1").getJsonObject("count");
    assertThat(large.getBoolean("exact")).isFalse();
    assertThat(large.getLong("value")).isGreaterThan(10L);
  }

  @Test
  void unknownParametersAndBadSyntaxAreRefusedNamingThem() {
    JsonObject unknown = assertProblem(ts.api.get(ORDERS + "?status=open", member), 400);
    assertThat(unknown.getString("detail")).contains("status");
    assertThat(assertProblem(ts.api.get(ORDERS + "?" + q("filter[total][between]", "1"), member), 400)
      .getString("detail")).contains("filter[total][between]").contains("gte");
    assertThat(assertProblem(ts.api.get(ORDERS + "?" + q("filter[a..b]", "1"), member), 400)
      .getString("detail")).contains("filter[a..b]");
    assertProblem(ts.api.get(ORDERS + "?" + q("filter[total][gt]", "true"), member), 400);
    assertProblem(ts.api.get(ORDERS + "?" + q("filter[tags][contains]", "{nope"), member), 400);
    assertProblem(ts.api.get(ORDERS + "?" + q("sort", "a b"), member), 400);
    assertProblem(ts.api.get(ORDERS + "?" + q("fields", ""), member), 400);
    assertProblem(ts.api.get(ORDERS + "?count=maybe", member), 400);
  }

  @Test
  void anUnindexedFilterOnALargeCollectionIsRefusedUntilAnIndexServesIt() {
    String route = "/admin/v1/tenants/queries/collections/big/indexes/total";
    JsonObject refused = assertProblem(ts.api.get(BIG + "?" + q("filter[total][gte]", "4990"), member), 422);
    assertThat(refused.getString("detail")).contains(route).contains("\"field\": \"total\"");
    assertProblem(ts.api.get(BIG + "?" + q("sort", "-total"), member), 422);
    assertThat(list(BIG, "limit=5").getJsonArray("items")).hasSize(5); // creation order needs no index

    assertProblem(ts.api.put(route, member, new JsonObject().put("field", "total"), null), 403);
    HttpResponse<Buffer> declared = ts.api.put(route, admin, new JsonObject().put("field", "total"), null);
    assertThat(declared.statusCode()).as(declared.bodyAsString()).isEqualTo(202);
    Eventually.within(Duration.ofSeconds(30), "the index is ready", () -> ts.api.get(
        "/admin/v1/tenants/queries/collections/big/indexes", admin).bodyAsJsonObject().getJsonArray("items")
      .getJsonObject(0).getString("status").equals("ready"));
    assertThat(ts.api.put(route, admin, new JsonObject().put("field", "total"), null).statusCode()).isEqualTo(200);
    assertProblem(ts.api.put(route, admin, new JsonObject().put("field", "kind"), null), 409);

    JsonObject top = list(BIG, q("sort", "-total"), "limit=3");
    assertThat(top.getJsonArray("items").getJsonObject(0).getJsonObject("data").getInteger("total")).isEqualTo(BIG_ROWS);
    JsonObject next = list(BIG, q("sort", "-total"), "limit=3", q("cursor", top.getString("next_cursor")));
    assertThat(next.getJsonArray("items").getJsonObject(0).getJsonObject("data").getInteger("total")).isEqualTo(BIG_ROWS - 3);

    // The index's typed part, on the leakproof record_number, is an index condition under forced row-level security:
    // the filter is served (aFilterOnADeclaredIndexIsAnIndexScanUnderForcedRowLevelSecurity shows the plan); a filter
    // on a field no index covers stays bounded.
    assertThat(list(BIG, q("filter[total][gte]", "4990"), "limit=100").getJsonArray("items")).hasSize(11);
    assertProblem(ts.api.get(BIG + "?" + q("filter[kind]", "k1"), member), 422);
    // created_at comparisons are leakproof: an index on it serves a time-range filter.
    String byTime = "/admin/v1/tenants/queries/collections/big/indexes/created";
    assertThat(ts.api.put(byTime, admin, new JsonObject().put("field", "created_at"), null).statusCode()).isEqualTo(202);
    Eventually.within(Duration.ofSeconds(30), "both indexes are ready", () -> ts.api.get(
        "/admin/v1/tenants/queries/collections/big/indexes", admin).bodyAsJsonObject().getJsonArray("items").stream()
      .allMatch(i -> ((JsonObject) i).getString("status").equals("ready")));
    assertThat(list(BIG, q("filter[created_at][gte]", "2100-01-01T00:00:00Z")).getJsonArray("items")).isEmpty();
    assertThat(ts.api.delete(byTime, admin, null).statusCode()).isEqualTo(204);

    assertThat(ts.api.delete(route, admin, null).statusCode()).isEqualTo(204);
    assertThat(ts.api.get("/admin/v1/tenants/queries/collections/big/indexes", admin).bodyAsJsonObject()
      .getJsonArray("items")).isEmpty();
    assertProblem(ts.api.get(BIG + "?" + q("filter[total][gte]", "4990"), member), 422);
    assertProblem(ts.api.delete(route, admin, null), 404);
  }

  /**
   * The statement the query builder writes for a filter on a declared index, planned as the runtime role with the
   * statement's own tenant context under forced row-level security (and custom plans, as RecordQueries sets), reads
   * that index: an index condition, not a filter after the policy. And the API serves it, where the guard would
   * refuse the same filter on a field without an index.
   */
  @Test
  void aFilterOnADeclaredIndexIsAnIndexScanUnderForcedRowLevelSecurity() throws SQLException {
    UUID id = tenantId;
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("INSERT INTO \"" + schema + "\".records (tenant_id, collection, id, data) SELECT '" + id
        + "', 'indexed', gen_random_uuid(), jsonb_build_object('amount', g, 'code', 'c-' || g, 'at', "
        + "to_char(timestamptz '2026-01-01' + g * interval '1 minute', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), 'other', g) "
        + "FROM generate_series(1, " + BIG_ROWS + ") g");
      st.execute("ANALYZE \"" + schema + "\".records");
    }
    for (String field : List.of("amount", "code", "at")) {
      HttpResponse<Buffer> declared = ts.api.put("/admin/v1/tenants/queries/collections/indexed/indexes/" + field, admin,
        new JsonObject().put("field", field), null);
      assertThat(declared.statusCode()).as(declared.bodyAsString()).isEqualTo(202);
    }
    Eventually.within(Duration.ofSeconds(60), "the indexes are ready", () -> ts.api.get(
        "/admin/v1/tenants/queries/collections/indexed/indexes", admin).bodyAsJsonObject().getJsonArray("items").stream()
      .allMatch(i -> ((JsonObject) i).getString("status").equals("ready")));
    String indexed = "/api/v1/collections/indexed/records";
    assertProblem(ts.api.get(indexed + "?" + q("filter[other][gte]", "4990"), member), 422); // no index: refused

    io.tenantry.tenant.Tenant tenant = new io.tenantry.tenant.Tenant(id, "queries", "Queries",
      io.tenantry.tenant.Tenant.Status.ACTIVE, io.tenantry.tenant.Isolation.valueOf(isolation().toUpperCase(java.util.Locale.ROOT)),
      null, io.tenantry.provisioning.TenantMigrations.latest(), null, java.time.Instant.now(), null);
    io.vertx.pgclient.PgConnectOptions connect = new io.vertx.pgclient.PgConnectOptions().setHost(TestEnv.pgHost())
      .setPort(TestEnv.pgPort()).setDatabase(database).setUser(ts.config.appRole());
    if (!ts.config.dbAppPassword().isEmpty()) {
      connect.setPassword(ts.config.dbAppPassword());
    }
    io.vertx.sqlclient.Pool pool = io.vertx.pgclient.PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(1))
      .connectingTo(connect).using(ts.vertx).build();
    try {
      // {declared field, index suffix (IndexDdl: _n number, _s text, _t time), parameter, value}
      List<String[]> filters = List.of(
        new String[] {"amount", "_n", "filter[amount][gte]", "4990"},
        new String[] {"amount", "_n", "filter[amount]", "17"},
        new String[] {"amount", "_n", "filter[amount][in]", "17,18"},
        new String[] {"code", "_s", "filter[code]", "c-17"},
        new String[] {"code", "_s", "filter[code][prefix]", "c-499"},
        new String[] {"code", "_s", "filter[code][in]", "c-17,c-18"},
        new String[] {"at", "_t", "filter[at][gt]", "2026-01-04T11:00:00Z"});
      for (String[] f : filters) {
        String index = io.tenantry.records.indexes.IndexDdl.indexName(id, "indexed", f[0], f[0]) + f[1];
        io.vertx.core.MultiMap params = io.vertx.core.MultiMap.caseInsensitiveMultiMap().add(f[2], f[3]);
        RecordQuery query = new RecordQuery("indexed", FilterParser.parse(params), SortSpec.BY_ID, null, null, 20, null, false);
        QuerySql.Statement explain = QuerySql.explainPage(tenant, query, 21);
        io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> plan = io.tenantry.support.Await.result(pool.withTransaction(conn ->
          conn.query("SET LOCAL plan_cache_mode = force_custom_plan").execute()
            .compose(v -> conn.preparedQuery(explain.sql()).execute(explain.params()))));
        JsonObject root = Plans.root(plan);
        assertThat(scans(root)).as("%s=%s: %s", f[2], f[3], root.encodePrettily())
          .anyMatch(scan -> scan.equals(index));
        assertThat(Plans.usesDeclaredIndex(root, false)).isTrue();
        HttpResponse<Buffer> served = ts.api.get(indexed + "?" + q(f[2], f[3]) + "&limit=100", member);
        assertThat(served.statusCode()).as(served.bodyAsString()).isEqualTo(200); // not the 422 of an unindexed query
        assertThat(served.bodyAsJsonObject().getJsonArray("items")).isNotEmpty();
      }
    } finally {
      io.tenantry.support.Await.result(pool.close(), 10);
    }
  }

  /**
   * A document the server cannot read back (nested 1500 deep, stored straight into the tier's table: the API refuses
   * it) fails the requests that read it with a 500 problem and nothing else: requests in flight beside them get
   * their records, and the collection's readable record is still served afterwards.
   */
  @Test
  void aStoredDocumentTheServerCannotReadFailsOnlyTheRequestsThatReadIt() throws SQLException {
    UUID deep = UUID.randomUUID();
    UUID fine = UUID.randomUUID();
    try (Connection c = TestEnv.connect(database, TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("INSERT INTO \"" + schema + "\".records (tenant_id, collection, id, data) VALUES ('" + tenantId
        + "', 'fragile', '" + deep + "', '{\"n\":" + "[".repeat(1500) + "]".repeat(1500) + "}'), ('" + tenantId
        + "', 'fragile', '" + fine + "', '{\"n\": 1}')");
    }
    String fragile = "/api/v1/collections/fragile/records";
    List<io.vertx.core.Future<HttpResponse<Buffer>>> beside = new ArrayList<>();
    List<io.vertx.core.Future<HttpResponse<Buffer>>> failing = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      failing.add(ts.api.request(io.vertx.core.http.HttpMethod.GET, fragile + "/" + deep, member).send());
      failing.add(ts.api.request(io.vertx.core.http.HttpMethod.GET, fragile, member).send());
      beside.add(ts.api.request(io.vertx.core.http.HttpMethod.GET, ORDERS + "?limit=5", member).send());
    }
    for (io.vertx.core.Future<HttpResponse<Buffer>> f : failing) {
      assertProblem(io.tenantry.support.Await.result(f, 30), 500);
    }
    for (io.vertx.core.Future<HttpResponse<Buffer>> f : beside) {
      HttpResponse<Buffer> r = io.tenantry.support.Await.result(f, 30);
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getJsonArray("items")).hasSize(5);
    }
    HttpResponse<Buffer> readable = ts.api.get(fragile + "/" + fine, member);
    assertThat(readable.statusCode()).as(readable.bodyAsString()).isEqualTo(200);
    assertThat(readable.bodyAsJsonObject().getJsonObject("data")).isEqualTo(new JsonObject().put("n", 1));
  }

  /** The indexes an index or bitmap index scan of the plan reads. */
  private static List<String> scans(JsonObject node) {
    List<String> found = new ArrayList<>();
    String type = node.getString("Node Type");
    if (("Index Scan".equals(type) || "Bitmap Index Scan".equals(type) || "Index Only Scan".equals(type))
      && node.getString("Index Name") != null) {
      found.add(node.getString("Index Name"));
    }
    JsonArray children = node.getJsonArray("Plans");
    if (children != null) {
      children.forEach(child -> found.addAll(scans((JsonObject) child)));
    }
    return found;
  }
}
