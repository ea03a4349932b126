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

    // Under forced row-level security PostgreSQL evaluates no non-leakproof (jsonb) operator ahead of the policy, so
    // the index orders but does not filter: a filter on a data field stays bounded (docs/records-api.md#indexes).
    assertProblem(ts.api.get(BIG + "?" + q("filter[total][gte]", "4990"), member), 422);
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
}
