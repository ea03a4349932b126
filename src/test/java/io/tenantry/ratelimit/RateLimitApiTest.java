package io.tenantry.ratelimit;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.tenantry.ratelimit.Limited.NOTES;
import static io.tenantry.ratelimit.Limited.header;
import static io.tenantry.ratelimit.Limited.limits;
import static io.tenantry.ratelimit.Limited.setLimits;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-tenant limits on the data plane of a real server, against the machine's Redis. */
class RateLimitApiTest {
  private static TestServer ts;
  private static String admin;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    admin = ts.adminToken();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static String tenant(String slug, JsonObject limits) {
    String token = ts.tenantWithUser(admin, slug, "member");
    setLimits(ts, admin, slug, limits);
    return token;
  }

  private static HttpResponse<Buffer> list(String token) {
    return ts.api.get(NOTES, token);
  }

  @Test
  void aBurstIsAdmittedExactlyWithHeadersCountingDownThenRefusedWithACorrectRetryAfter() {
    String token = tenant("burst", limits(1, 10));
    long start = System.nanoTime();
    int admitted = 0;
    HttpResponse<Buffer> r = list(token);
    while (r.statusCode() == 200 && admitted < 20) {
      admitted++;
      // At 1 request per second one more comes back per second elapsed: none while the machine keeps up.
      int refilled = (int) ((System.nanoTime() - start) / 1_000_000_000L);
      assertThat(header(r, "RateLimit-Limit")).isEqualTo(10);
      assertThat(header(r, "RateLimit-Remaining")).as("after request %d", admitted).isBetween(10 - admitted, 10 - admitted + refilled);
      assertThat(header(r, "RateLimit-Reset")).as("seconds until %d requests are back at 1/s", admitted)
        .isBetween(admitted - refilled, admitted);
      r = list(token);
    }
    int refilled = (int) ((System.nanoTime() - start) / 1_000_000_000L);
    assertThat(admitted).as("the burst, plus one per second elapsed (%d)", refilled).isBetween(10, 10 + refilled);

    JsonObject problem = assertProblem(r, 429);
    assertThat(problem.getString("type")).endsWith("too-many-requests");
    assertThat(problem.getString("detail")).contains("tenant's rate limit");
    assertThat(header(r, "Retry-After")).isEqualTo(1);
    assertThat(header(r, "RateLimit-Remaining")).isZero();
    assertThat(header(r, "RateLimit-Limit")).isEqualTo(10);

    // Retry-After is truthful: the next request passes within it (and, at 1/s, only one does).
    Duration waited = Eventually.within(Duration.ofSeconds(3), "admitted again", () -> list(token).statusCode() == 200);
    assertThat(waited).isLessThanOrEqualTo(Duration.ofMillis(1000 + 250));
    assertProblem(list(token), 429);
  }

  @Test
  void afterTheBurstTheSteadyRateIsAdmitted() {
    String token = tenant("steady", limits(5, 3)); // a burst of 3 absorbs gaps of up to 0.6 s on a busy machine
    long start = System.nanoTime();
    int admitted = 0;
    while (System.nanoTime() - start < 2_000_000_000L) { // a bounded loop: 2 s of back-to-back requests
      int status = list(token).statusCode();
      assertThat(status).isIn(200, 429);
      admitted += status == 200 ? 1 : 0;
    }
    assertThat(admitted).as("burst 3, then 5 per second for 2 s").isBetween(12, 14);
  }

  @Test
  void tenantAExhaustingItsBudgetNeitherRefusesNorSlowsTenantB() {
    String a = tenant("tenant-a", limits(1, 3));
    String b = tenant("tenant-b", limits(1, 3));
    for (int i = 0; i < 3; i++) {
      list(a);
    }
    assertProblem(list(a), 429);
    for (int i = 1; i <= 3; i++) {
      HttpResponse<Buffer> r = list(b);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "RateLimit-Remaining")).isEqualTo(3 - i);
    }
  }

  @Test
  void namingTheTenantOtherWaysOrSpoofingForwardedForBuysNoFreshBudget() {
    String token = tenant("spoofed", limits(1, 2));
    String id = ts.api.get("/admin/v1/tenants/spoofed", admin).bodyAsJsonObject().getString("id");
    list(token);
    list(token);
    List<HttpResponse<Buffer>> attempts = new ArrayList<>();
    attempts.add(list(token));
    attempts.add(ts.api.get(NOTES, token, MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "203.0.113.9")));
    attempts.add(ts.api.get(NOTES, token, MultiMap.caseInsensitiveMultiMap().add("X-Real-IP", "198.51.100.7")));
    attempts.add(ts.api.get(NOTES, token, MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", "spoofed")));
    attempts.add(ts.api.get(NOTES, token, MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", id)));
    attempts.add(ts.api.get(NOTES, admin, MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", "spoofed")));
    attempts.add(ts.api.get(NOTES, admin, MultiMap.caseInsensitiveMultiMap().add("Host", "spoofed.localhost")));
    attempts.add(ts.api.get("/t/spoofed" + NOTES, admin));
    for (HttpResponse<Buffer> attempt : attempts) {
      assertProblem(attempt, 429);
    }
  }

  @Test
  void aWriteCostsTheWriteCostAndAReadOne() {
    String token = tenant("writes", new JsonObject().put("rate", 1).put("burst", 5).put("write_cost", 2));
    HttpResponse<Buffer> first = ts.api.post(NOTES, token, new JsonObject().put("n", 1));
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(header(first, "RateLimit-Remaining")).isEqualTo(3);
    assertThat(header(ts.api.post(NOTES, token, new JsonObject().put("n", 2)), "RateLimit-Remaining")).isEqualTo(1);
    assertProblem(ts.api.post(NOTES, token, new JsonObject().put("n", 3)), 429);
    HttpResponse<Buffer> read = list(token);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getJsonArray("items")).hasSize(2);
    assertThat(header(read, "RateLimit-Remaining")).isZero();
  }

  @Test
  void aUserSubLimitRefusesThatUserOnly() {
    String alice = tenant("per-user", new JsonObject().put("rate", 100).put("burst", 100).put("user_rate", 1).put("user_burst", 2));
    ts.addUser(admin, "per-user", "bob@per-user.test", "member");
    String bob = ts.api.token("bob@per-user.test", "password-of-bob@per-user.test", "per-user");
    list(alice);
    assertThat(header(list(alice), "RateLimit-Remaining")).isZero();
    HttpResponse<Buffer> refused = list(alice);
    assertThat(assertProblem(refused, 429).getString("detail")).contains("per-user");
    assertThat(header(refused, "RateLimit-Limit")).isEqualTo(2);
    HttpResponse<Buffer> bobs = list(bob);
    assertThat(bobs.statusCode()).isEqualTo(200);
    assertThat(header(bobs, "RateLimit-Remaining")).isEqualTo(1);
  }

  @Test
  void aChangedLimitAppliesToTheNextRequest() {
    String token = tenant("changing", limits(1, 3));
    assertThat(header(list(token), "RateLimit-Limit")).isEqualTo(3);
    setLimits(ts, admin, "changing", limits(1, 7));
    assertThat(header(list(token), "RateLimit-Limit")).isEqualTo(7);
  }

  @Test
  void aRefusedRequestDoesNoDatabaseWork() throws SQLException {
    String token = tenant("no-db-work", limits(1, 2));
    list(token);
    list(token);
    setConnectable(false);
    try {
      for (int i = 0; i < 20; i++) {
        assertProblem(list(token), 429); // a 503 would mean it needed the database
      }
    } finally {
      setConnectable(true);
    }
  }

  /** Makes the test database refuse new connections and drops the ones the server holds. */
  private static void setConnectable(boolean connectable) throws SQLException {
    try (Connection c = TestEnv.connect("postgres", TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE \"" + ts.config.dbName() + "\" ALLOW_CONNECTIONS " + connectable);
      if (!connectable) {
        st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + ts.config.dbName() + "'");
      }
    }
  }
}
