package io.tenantry.isolation;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leakproof field functions (record_text, record_number, record_time: platform V60, tenant V6) are what lets a
 * declared index serve a data filter under forced row-level security, and also what lets PostgreSQL run them on rows
 * the policy then hides — another tenant's, on the shared table. So they must never fail, whatever a row holds
 * (docs/security/isolation.md#leakproof-field-functions). Here B stores values built to make them fail (numbers
 * beyond double precision, impossible dates, digits of other scripts, arrays where a path expects an object) in the
 * collection A filters, with A's indexes on those fields ready: A's filters answer exactly A's records, the same
 * answer and count as before B wrote anything; the functions called on B's rows in A's context raise nothing and
 * show nothing; and the functions themselves raise nothing on a corpus of hostile values.
 */
class LeakproofFilterAttacksTest extends AttackSuite {
  private static final String POISON = "/api/v1/collections/poison/records";
  /** Values a careless extraction would fail on: what B stores at "amount", "at" and "code". */
  private static final List<Object> HOSTILE = List.of(
    "not-a-number", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:59:60Z",
    "2026-01-01T00:00:00+16:00", "0000-01-01T00:00:00Z", "\u0662\u0660\u0662\u0666-01-01T00:00:00Z",
    "2026-01-01T00:00:00.1234567890123Z", "infinity", "epoch", "now", "x".repeat(5000),
    new JsonArray().add(1).add("a"), new JsonObject().put("x", 1), true, false);
  private static final List<String> HOSTILE_NUMBERS = List.of("1e400", "-1e400", "1e-400", "-1e-400",
    "1.7976931348623157e308", "123456789012345678901234567890.123456789", "-0");

  @Override
  @org.junit.jupiter.api.BeforeAll
  void createWorld() {
    world = AttackWorld.create(Map.of("db.connect-timeout-ms", "30000", "tenancy.queue-timeout-ms", "30000"));
  }

  private static String q(String name, String value) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "="
      + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A's filters on every typed index: numbers, times, strings, prefixes, in-lists, with the count. */
  private static final List<String[]> FILTERS = List.of(
    new String[] {q("filter[amount][gte]", "0")},
    new String[] {q("filter[amount][lt]", "1e300")},
    new String[] {q("filter[amount]", "5")},
    new String[] {q("filter[amount][in]", "1,5,7")},
    new String[] {q("filter[at][gt]", "2020-01-01T00:00:00Z")},
    new String[] {q("filter[at][lte]", "2026-02-28T00:00:00Z")},
    new String[] {q("filter[code]", "k-1")},
    new String[] {q("filter[code][prefix]", "k-")},
    new String[] {q("filter[code][in]", "k-1,k-2,not-a-number")},
    new String[] {q("filter[code][gte]", "\"k-3\"")});

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void anotherTenantsHostileValuesNeitherFailNorChangeTheCallersFilters(Pairing p) throws SQLException {
    Side a = world.a(p);
    Side b = world.b(p);
    for (int i = 0; i < 8; i++) {
      JsonObject data = new JsonObject().put("owner", a.slug()).put("amount", i).put("code", "k-" + i)
        .put("at", String.format("2026-01-%02dT10:00:00+02:00", i + 1));
      assertThat(world.ts.api.post(POISON, a.memberToken(), data).statusCode()).isEqualTo(201);
    }
    for (String field : List.of("amount", "at", "code")) {
      String route = "/admin/v1/tenants/" + a.slug() + "/collections/poison/indexes/" + field;
      HttpResponse<Buffer> declared = world.ts.api.put(route, a.adminToken(), new JsonObject().put("field", field), null);
      assertThat(declared.statusCode()).as(declared.bodyAsString()).isIn(200, 202);
    }
    Eventually.within(Duration.ofSeconds(60), "A's indexes are ready", () -> world.ts.api.get(
        "/admin/v1/tenants/" + a.slug() + "/collections/poison/indexes", a.adminToken()).bodyAsJsonObject()
      .getJsonArray("items").stream().allMatch(item -> "ready".equals(((JsonObject) item).getString("status"))));

    List<String> before = new ArrayList<>();
    for (String[] filter : FILTERS) {
      before.add(answer(p, filter));
    }

    // B stores the hostile values (straight into its table as well, for what the API's schema checks would refuse)
    for (Object hostile : HOSTILE) {
      JsonObject data = new JsonObject().put("owner", b.slug()).put("secret", b.secret())
        .put("amount", hostile).put("at", hostile).put("code", hostile);
      assertThat(world.ts.api.post(POISON, b.memberToken(), data).statusCode()).isEqualTo(201);
    }
    try (Connection c = TestEnv.connect(b.database(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      for (String number : HOSTILE_NUMBERS) {
        st.execute("INSERT INTO " + b.table() + " (tenant_id, collection, id, data) VALUES ('" + b.id() + "', 'poison', "
          + "gen_random_uuid(), '{\"owner\": \"" + b.slug() + "\", \"secret\": \"" + b.secret() + "\", \"amount\": "
          + number + ", \"at\": " + number + ", \"code\": " + number + "}')");
      }
      // and values matching every filter of A's, which must not change A's answers or counts either
      st.execute("INSERT INTO " + b.table() + " (tenant_id, collection, id, data) SELECT '" + b.id() + "', 'poison', "
        + "gen_random_uuid(), jsonb_build_object('owner', '" + b.slug() + "', 'secret', '" + b.secret() + "', 'amount', g, "
        + "'code', 'k-' || g, 'at', '2026-01-0' || g || 'T10:00:00Z') FROM generate_series(1, 7) g");
      st.execute("ANALYZE " + b.table());
    }

    for (int i = 0; i < FILTERS.size(); i++) {
      assertThat(answer(p, FILTERS.get(i))).as("A's answer to %s after B's writes", FILTERS.get(i)[0]).isEqualTo(before.get(i));
    }
  }

  /** A's page of the filter and its count, both of A's records only; the ids and count as one comparable text. */
  private String answer(Pairing p, String[] filter) {
    Side a = world.a(p);
    HttpResponse<Buffer> r = world.ts.api.get(POISON + "?" + String.join("&", filter) + "&count=true&limit=100",
      a.memberToken());
    assertThat(r.statusCode()).as("%s: %s", filter[0], r.bodyAsString()).isEqualTo(200);
    assertNoLeak(r, world.b(p));
    JsonArray items = r.bodyAsJsonObject().getJsonArray("items");
    assertThat(items).as(filter[0]).isNotEmpty();
    List<String> ids = new ArrayList<>();
    items.forEach(item -> {
      assertThat(((JsonObject) item).getJsonObject("data").getString("owner")).isEqualTo(a.slug());
      ids.add(((JsonObject) item).getString("id"));
    });
    return ids + " " + r.bodyAsJsonObject().getJsonObject("count");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void theFunctionsRunOnAnotherTenantsRowsRaiseAndShowNothing(Pairing p) throws SQLException {
    Side a = world.a(p);
    Side b = world.b(p);
    try (Connection c = TestEnv.connect(b.database(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("INSERT INTO " + b.table() + " (tenant_id, collection, id, data) VALUES ('" + b.id() + "', 'poison2', "
        + "gen_random_uuid(), '{\"v\": 1e400, \"t\": \"2026-02-30T00:00:00Z\", \"s\": [1]}')");
    }
    String fn = "\"" + b.schema() + "\".";
    // Cheapest first and leakproof: PostgreSQL may well evaluate these on B's rows before the policy hides them.
    String sql = "SELECT count(*) FROM " + b.table() + " WHERE " + fn + "record_number(data, '{v}') > '-1e308'::float8 OR "
      + fn + "record_time(data, '{t}') > '-infinity' OR " + fn + "record_text(data, '{s,0}') IS NOT NULL OR "
      + fn + "record_text(data, '{s}') = 'x'";
    try (Connection c = TestEnv.connect(b.database(), world.ts.config.appRole())) {
      c.setAutoCommit(false);
      try (PreparedStatement set = c.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
        set.setString(1, a.id().toString());
        set.execute();
      }
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL enable_indexscan = off");
        st.execute("SET LOCAL enable_bitmapscan = off"); // a sequential scan: every row of the table is read
        try (ResultSet rs = st.executeQuery(sql)) {
          rs.next();
          assertThat(rs.getLong(1)).as("B's rows in A's context").isZero();
        }
      }
      c.rollback();
    }
  }

  /**
   * The functions' own promise, as the superuser on every tier's copy: no value makes them raise; a value not of
   * their type is NULL. Fixed hostile values, then random timestamp-shaped strings (digits anywhere, any separator).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void noValueMakesTheFunctionsRaise(Pairing p) throws SQLException {
    Side b = world.b(p);
    String fn = "\"" + b.schema() + "\".";
    List<String> documents = new ArrayList<>();
    for (Object hostile : HOSTILE) {
      documents.add(new JsonObject().put("v", hostile).encode());
    }
    for (String number : HOSTILE_NUMBERS) {
      documents.add("{\"v\": " + number + "}");
    }
    Random random = new Random(17);
    String alphabet = "0123456789-:+TtZz .\u0663";
    Set<String> shapes = new HashSet<>();
    while (shapes.size() < 3000) {
      StringBuilder s = new StringBuilder("2026-01-01T00:00:00Z");
      for (int i = 0; i < 3; i++) {
        s.setCharAt(random.nextInt(s.length()), alphabet.charAt(random.nextInt(alphabet.length())));
      }
      shapes.add(s.toString());
    }
    shapes.forEach(s -> documents.add(new JsonObject().put("v", s).encode()));
    try (Connection c = TestEnv.connect(b.database(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement("SELECT " + fn + "record_text(d, '{v}'), " + fn + "record_number(d, '{v}'), "
           + fn + "record_time(d, '{v}'), " + fn + "record_number(d, '{v,0}'), " + fn + "record_text(d, '{v,x}'), "
           + fn + "record_time(d, ARRAY[NULL, 'v']) FROM unnest(?::jsonb[]) d")) {
      st.setArray(1, c.createArrayOf("text", documents.toArray()));
      int rows = 0;
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows++;
        }
      }
      assertThat(rows).isEqualTo(documents.size());
      try (Statement check = c.createStatement(); ResultSet rs = check.executeQuery("SELECT " + fn + "record_time("
        + "'{\"v\": \"2026-02-30T00:00:00Z\"}', '{v}') IS NULL, " + fn + "record_number('{\"v\": 1e400}', '{v}') = 'Infinity', "
        + fn + "record_number('{\"v\": \"5\"}', '{v}') IS NULL, " + fn + "record_text('{\"v\": 5}', '{v}') IS NULL")) {
        rs.next();
        for (int i = 1; i <= 4; i++) {
          assertThat(rs.getBoolean(i)).as("check %s", i).isTrue();
        }
      }
    }
  }
}
