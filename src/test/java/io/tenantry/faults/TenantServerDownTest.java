package io.tenantry.faults;

import io.tenantry.support.PrivatePostgres;
import io.tenantry.support.TestServer;
import io.tenantry.support.Eventually;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database-tier tenant whose own PostgreSQL server (a private one this test stops and starts) goes down: only it is
 * answered 503 tenant-database-unavailable with Retry-After; after a few connection failures the server's circuit
 * breaker opens and its requests fail at once, without a connection attempt; another tenant, readiness and the
 * platform carry on; when the server returns, the tenant is served again without restarting anything.
 */
class TenantServerDownTest {
  private static final String NOTES = "/api/v1/collections/notes/records";

  @Test
  void onlyTheTenantOfTheStoppedServerIsAnswered503AndItsBreakerOpensThenCloses() {
    try (PrivatePostgres far = PrivatePostgres.start();
         TestServer ts = TestServer.start(Map.of("server-breaker.max-failures", "2", "server-breaker.reset-ms", "1500",
           "db.connect-timeout-ms", "30000"))) {
      String admin = ts.adminToken();
      HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "remote")
        .put("name", "Remote").put("isolation", "database")
        .put("database", new JsonObject().put("host", far.host()).put("port", far.port()).put("name", "remote_data")));
      assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
      ts.addUser(admin, "remote", "w@remote.test", "member");
      String remote = ts.api.token("w@remote.test", "password-of-w@remote.test", "remote");
      String local = ts.tenantWithUser(admin, "local", "member");
      String remoteId = ts.api.post(NOTES, remote, new JsonObject().put("n", "remote")).bodyAsJsonObject().getString("id");
      String localId = ts.api.post(NOTES, local, new JsonObject().put("n", "local")).bodyAsJsonObject().getString("id");
      String server = far.host() + ":" + far.port();

      far.stopServer();

      JsonObject down = assertProblem(ts.api.get(NOTES + "/" + remoteId, remote), 503);
      assertThat(down.getString("type")).endsWith("/tenant-database-unavailable");
      Eventually.within(Duration.ofSeconds(10), "the breaker of " + server + " opens", () -> {
        ts.api.get(NOTES + "/" + remoteId, remote);
        return "OPEN".equals(breaker(ts, admin, server).getString("state"));
      });
      Instant start = Instant.now();
      HttpResponse<Buffer> fast = ts.api.post(NOTES, remote, new JsonObject().put("n", "while down"));
      assertThat(Duration.between(start, Instant.now())).as("an open breaker answers at once").isLessThan(Duration.ofMillis(500));
      assertThat(assertProblem(fast, 503).getString("type")).endsWith("/tenant-database-unavailable");
      assertThat(fast.getHeader("Retry-After")).isEqualTo("2");
      assertThat(brokenServers(ts, admin)).as("/metrics shows the server's breaker not closed").isEqualTo(1);

      HttpResponse<Buffer> other = ts.api.get(NOTES + "/" + localId, local);
      assertThat(other.statusCode()).isEqualTo(200);
      assertThat(other.bodyAsJsonObject().getJsonObject("data").getString("n")).isEqualTo("local");
      assertThat(ts.api.get("/health/ready", null).statusCode()).as("one tenant's server is not the node's health").isEqualTo(200);

      far.startServer();

      Eventually.within(Duration.ofSeconds(15), "the tenant is served again", () ->
        ts.api.get(NOTES + "/" + remoteId, remote).statusCode() == 200);
      assertThat(ts.api.get(NOTES + "/" + remoteId, remote).bodyAsJsonObject().getJsonObject("data").getString("n"))
        .isEqualTo("remote");
      assertThat(breaker(ts, admin, server).getString("state")).isEqualTo("CLOSED");
    }
  }

  /** Servers whose breaker is open or half-open, from the Prometheus scrape. */
  private static int brokenServers(TestServer ts, String admin) {
    HttpResponse<Buffer> scrape = ts.api.get("/metrics", admin);
    assertThat(scrape.statusCode()).isEqualTo(200);
    java.util.regex.Matcher m = java.util.regex.Pattern
      .compile("(?m)^tenantry_pool_server_breakers\\{state=\"(?:open|half_open)\"} ([0-9.]+)$")
      .matcher(scrape.bodyAsString());
    int sum = 0;
    while (m.find()) {
      sum += (int) Double.parseDouble(m.group(1));
    }
    return sum;
  }

  private static JsonObject breaker(TestServer ts, String admin, String server) {
    HttpResponse<Buffer> pools = ts.api.get("/admin/v1/pools", admin);
    assertThat(pools.statusCode()).isEqualTo(200);
    JsonArray breakers = pools.bodyAsJsonObject().getJsonArray("server_breakers");
    for (int i = 0; i < breakers.size(); i++) {
      if (server.equals(breakers.getJsonObject(i).getString("server"))) {
        return breakers.getJsonObject(i);
      }
    }
    return new JsonObject().put("state", "NONE");
  }
}
