package io.tenantry.health;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** /health/live and /health/ready against real PostgreSQL and Redis, and with each of them gone. */
class HealthTest {

  private static JsonObject check(HttpResponse<Buffer> r, String id) {
    JsonArray checks = r.bodyAsJsonObject().getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i);
      }
    }
    throw new AssertionError("no check " + id + " in " + r.bodyAsString());
  }

  /** Polls until the condition holds (bounded), instead of sleeping for a guessed time. */
  private static HttpResponse<Buffer> awaitReady(TestServer ts, String token, Predicate<HttpResponse<Buffer>> condition) {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    HttpResponse<Buffer> last;
    do {
      last = ts.api.get("/health/ready", token);
      if (condition.test(last)) {
        return last;
      }
    } while (Instant.now().isBefore(deadline));
    throw new AssertionError("condition not reached; last answer " + last.statusCode() + " " + last.bodyAsString());
  }

  @Test
  void liveAndReadyWithEverythingUp() {
    try (TestServer ts = TestServer.start()) {
      assertThat(ts.api.get("/health/live", null).statusCode()).isEqualTo(200);
      HttpResponse<Buffer> ready = ts.api.get("/health/ready", ts.adminToken());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(check(ready, "postgres").getString("status")).isEqualTo("UP");
      assertThat(check(ready, "redis").getJsonObject("data").getString("state")).isEqualTo("up");
      assertThat(check(ready, "cluster").getJsonObject("data").getString("node_id")).isNotBlank();
    }
  }

  @Test
  void anonymousCallersAndTenantUsersSeeOnlyTheStatus() {
    try (TestServer ts = TestServer.start()) {
      String admin = ts.adminToken();
      String member = ts.tenantWithUser(admin, "curious", "member");
      ts.addUser(admin, "curious", "boss@curious.test", "tenant_admin");
      String boss = ts.api.token("boss@curious.test", "password-of-boss@curious.test", "curious");
      for (String token : java.util.Arrays.asList(null, member, boss)) {
        HttpResponse<Buffer> ready = ts.api.get("/health/ready", token);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
        assertThat(ready.bodyAsString()).doesNotContain("node_id").doesNotContain("member");
      }
    }
  }

  @Test
  void redisDownIsDegradedButReadyAndTheApiKeepsServing() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (TestServer ts = TestServer.start(Map.of("redis.url", "redis://127.0.0.1:" + closedPort))) {
      HttpResponse<Buffer> ready = ts.api.get("/health/ready", ts.adminToken());
      assertThat(ready.statusCode()).isEqualTo(200);
      JsonObject redis = check(ready, "redis");
      assertThat(redis.getString("status")).isEqualTo("UP");
      assertThat(redis.getJsonObject("data").getString("state")).isEqualTo("down");
      assertThat(redis.getJsonObject("data").getBoolean("degraded")).isTrue();
      String token = ts.tenantWithUser(ts.adminToken(), "still-served", "member");
      assertThat(ts.api.post("/api/v1/collections/x/records", token, new JsonObject().put("ok", true)).statusCode()).isEqualTo(201);
    }
  }

  @Test
  void postgresUnreachableIsNotReadyAndNamesTheCheck() throws SQLException {
    try (TestServer ts = TestServer.start()) {
      String admin = ts.adminToken(); // while the database can still check the password
      assertThat(ts.api.get("/health/ready", null).statusCode()).isEqualTo(200);
      setConnectable(ts, false);
      try {
        HttpResponse<Buffer> down = awaitReady(ts, admin, r -> r.statusCode() == 503);
        assertThat(check(down, "postgres").getString("status")).isEqualTo("DOWN");
        assertThat(down.bodyAsString()).doesNotContain("Exception");
        HttpResponse<Buffer> anonymous = ts.api.get("/health/ready", null);
        assertThat(anonymous.statusCode()).isEqualTo(503);
        assertThat(anonymous.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "DOWN"));
        assertThat(ts.api.get("/health/live", null).statusCode()).isEqualTo(200);
      } finally {
        setConnectable(ts, true);
      }
      awaitReady(ts, null, r -> r.statusCode() == 200);
    }
  }

  /** Makes the database refuse the runtime role's connections, and drops the ones it has. */
  private static void setConnectable(TestServer ts, boolean connectable) throws SQLException {
    try (Connection c = TestEnv.connect("postgres", TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE \"" + ts.config.dbName() + "\" ALLOW_CONNECTIONS " + connectable);
      if (!connectable) {
        st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + ts.config.dbName() + "'");
      }
    }
  }
}
