package io.tenantry.faults;

import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backends serving two requests are terminated mid-statement (pg_terminate_backend, as an operator or a failover
 * does): the client's connection is reset with no answer. The read gets 503 database-unavailable with Retry-After,
 * not a 500; the write gets 503 commit-outcome-unknown (the server cannot know whether it committed), and its retry
 * with the same Idempotency-Key creates the record exactly once. The statements are held deterministically by a
 * lock taken from outside; only this test's own database's backends are terminated.
 */
class DroppedConnectionTest {
  private static final String NOTES = "/api/v1/collections/notes/records";

  @Test
  void terminatedBackendsAre503sAndTheWriteRetriedWithItsKeyIsAppliedOnce() throws Exception {
    try (TestServer ts = TestServer.start(Map.of("db.connect-timeout-ms", "30000"))) {
      String member = ts.tenantWithUser(ts.adminToken(), "dropped", "member");
      String kept = ts.api.post(NOTES, member, new JsonObject().put("n", "kept")).bodyAsJsonObject().getString("id");

      HttpResponse<Buffer> read;
      HttpResponse<Buffer> write;
      try (Connection lock = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser())) {
        lock.setAutoCommit(false);
        try (Statement st = lock.createStatement()) {
          st.execute("LOCK TABLE shared.records IN ACCESS EXCLUSIVE MODE");
        }
        Future<HttpResponse<Buffer>> reading = ts.api.request(HttpMethod.GET, NOTES + "/" + kept, member).send();
        Future<HttpResponse<Buffer>> writing = ts.api.request(HttpMethod.POST, NOTES, member)
          .putHeader("Idempotency-Key", "retry-me").sendJsonObject(new JsonObject().put("n", "retried"));
        Eventually.within(Duration.ofSeconds(20), "both requests wait on the lock", () -> waiting(ts) == 2);
        terminateWaiting(ts);
        read = Await.result(reading, 30);
        write = Await.result(writing, 30);
        lock.rollback();
      }

      JsonObject readProblem = assertProblem(read, 503);
      assertThat(readProblem.getString("type")).endsWith("/database-unavailable");
      assertThat(read.getHeader("Retry-After")).isEqualTo("2");
      JsonObject writeProblem = assertProblem(write, 503);
      assertThat(writeProblem.getString("type")).endsWith("/commit-outcome-unknown");
      assertThat(write.getHeader("Retry-After")).isNotNull();

      HttpResponse<Buffer>[] retried = new HttpResponse[1];
      Eventually.within(Duration.ofSeconds(20), "the retry with the same key is answered", () -> {
        retried[0] = Await.result(ts.api.request(HttpMethod.POST, NOTES, member).putHeader("Idempotency-Key", "retry-me")
          .sendJsonObject(new JsonObject().put("n", "retried")), 30);
        return retried[0].statusCode() == 201;
      });
      HttpResponse<Buffer> list = ts.api.get(NOTES, member);
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.bodyAsJsonObject().getJsonArray("items")).as("the kept record and the retried one, once")
        .hasSize(2);
      assertThat(ts.api.get(NOTES + "/" + retried[0].bodyAsJsonObject().getString("id"), member)
        .bodyAsJsonObject().getJsonObject("data").getString("n")).isEqualTo("retried");
    }
  }

  private static int waiting(TestServer ts) {
    try (Connection c = TestEnv.connect("postgres", TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + ts.config.dbName()
           + "' AND usename = '" + ts.config.appRole() + "' AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void terminateWaiting(TestServer ts) throws SQLException {
    try (Connection c = TestEnv.connect("postgres", TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + ts.config.dbName()
        + "' AND usename = '" + ts.config.appRole() + "' AND wait_event_type = 'Lock'");
    }
  }
}
