package io.tenantry.faults;

import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.PrivatePostgres;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The platform database's server (a private one, so the machine's server other tests use is never restarted)
 * restarts, or crashes under a write: clients get 503s with Retry-After that say which dependency and whether a
 * write may have been applied, never a 500; Tenantry serves again by itself once the server is back; and a create
 * retried with its Idempotency-Key is applied exactly once.
 */
class PlatformDatabaseRestartTest {
  private static final String NOTES = "/api/v1/collections/notes/records";

  /**
   * The connect (and acquire) timeout is generous because a loaded test machine can stall a starting server's event
   * loop for seconds; a server that is down refuses connections, which is answered at once whatever the timeout.
   */
  private static TestServer server(PrivatePostgres pg) {
    return TestServer.start(Map.of("db.host", pg.host(), "db.port", Integer.toString(pg.port()),
      "db.admin-url", pg.adminUrl(), "db.connect-timeout-ms", "30000"));
  }

  @Test
  void whileTheServerIsDownRequestsAre503AndServedAgainWhenItIsBack() {
    try (PrivatePostgres pg = PrivatePostgres.start(); TestServer ts = server(pg)) {
      String member = ts.tenantWithUser(ts.adminToken(), "restarted", "member");
      String id = ts.api.post(NOTES, member, new JsonObject().put("n", 1)).bodyAsJsonObject().getString("id");

      pg.stopServer();
      for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.POST}) {
        Instant start = Instant.now();
        HttpResponse<Buffer> r = method == HttpMethod.GET ? ts.api.get(NOTES + "/" + id, member)
          : ts.api.post(NOTES, member, new JsonObject().put("n", 2));
        JsonObject problem = assertProblem(r, 503);
        assertThat(problem.getString("type")).as(method + " while down").endsWith("/database-unavailable");
        assertThat(r.getHeader("Retry-After")).isEqualTo("2");
        assertThat(Duration.between(start, Instant.now())).as("a refused connection is answered at once, not after the connect timeout").isLessThan(Duration.ofSeconds(10));
      }

      pg.startServer();
      Eventually.within(Duration.ofSeconds(20), "served again without a restart of Tenantry",
        () -> ts.api.get(NOTES + "/" + id, member).statusCode() == 200);
      assertThat(ts.api.get(NOTES, member).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    }
  }

  @Test
  void aWriteWhoseConnectionDiesIsCommitOutcomeUnknownAndItsRetryWithTheKeyIsAppliedOnce() throws Exception {
    try (PrivatePostgres pg = PrivatePostgres.start(); TestServer ts = server(pg)) {
      String member = ts.tenantWithUser(ts.adminToken(), "crashed", "member");
      HttpResponse<Buffer> lost;
      try (Connection lock = pg.connect(ts.config.dbName())) {
        lock.setAutoCommit(false);
        try (Statement st = lock.createStatement()) {
          st.execute("LOCK TABLE shared.records IN ACCESS EXCLUSIVE MODE");
        }
        Future<HttpResponse<Buffer>> writing = keyed(ts, member, "order-42").sendJsonObject(new JsonObject().put("n", 42));
        Eventually.within(Duration.ofSeconds(20), "the write waits on the lock", () -> waitingPid(pg, ts) > 0);
        pg.killBackend(waitingPid(pg, ts)); // no answer, no error: the connection just ends
        lost = Await.result(writing, 30);
      } catch (SQLException crashed) {
        throw new AssertionError("unexpected", crashed);
      } catch (RuntimeException e) {
        throw e;
      }
      JsonObject problem = assertProblem(lost, 503);
      assertThat(problem.getString("type")).endsWith("/commit-outcome-unknown");
      assertThat(problem.getString("detail")).contains("Idempotency-Key");

      HttpResponse<Buffer>[] retried = new HttpResponse[1];
      Eventually.within(Duration.ofSeconds(60), "the retry with the key succeeds once the server has recovered", () -> {
        retried[0] = Await.result(keyed(ts, member, "order-42").sendJsonObject(new JsonObject().put("n", 42)), 30);
        return retried[0].statusCode() == 201;
      });
      String id = retried[0].bodyAsJsonObject().getString("id");
      HttpResponse<Buffer> again = Await.result(keyed(ts, member, "order-42").sendJsonObject(new JsonObject().put("n", 42)), 30);
      assertThat(again.statusCode()).isEqualTo(201);
      assertThat(again.bodyAsJsonObject().getString("id")).isEqualTo(id);
      assertThat(again.getHeader("Idempotent-Replayed")).isEqualTo("true");
      JsonArray items = ts.api.get(NOTES, member).bodyAsJsonObject().getJsonArray("items");
      assertThat(items).hasSize(1);
      assertThat(items.getJsonObject(0).getJsonObject("data").getInteger("n")).isEqualTo(42);
    }
  }

  @Test
  void aCreateAppliedButUnansweredIsFoundByItsRetryNotAppliedTwice() throws Exception {
    try (PrivatePostgres pg = PrivatePostgres.start(); TestServer ts = server(pg)) {
      String member = ts.tenantWithUser(ts.adminToken(), "unanswered", "member");
      HttpResponse<Buffer> first = Await.result(keyed(ts, member, "k-7").sendJsonObject(new JsonObject().put("n", 7)), 30);
      assertThat(first.statusCode()).isEqualTo(201);
      // The answer was lost with its connection and the key's stored answer with it: only the record is left.
      try (Connection c = pg.connect(ts.config.dbName()); Statement st = c.createStatement()) {
        st.execute("DELETE FROM platform.idempotency_keys");
      }
      HttpResponse<Buffer> retry = Await.result(keyed(ts, member, "k-7").sendJsonObject(new JsonObject().put("n", 7)), 30);
      assertThat(retry.statusCode()).isEqualTo(201);
      assertThat(retry.getHeader("Idempotent-Replayed")).isEqualTo("true");
      assertThat(retry.bodyAsJsonObject().getString("id")).isEqualTo(first.bodyAsJsonObject().getString("id"));
      assertThat(ts.api.get(NOTES, member).bodyAsJsonObject().getJsonArray("items")).hasSize(1);
      HttpResponse<Buffer> otherBody = Await.result(keyed(ts, member, "k-7").sendJsonObject(new JsonObject().put("n", 8)), 30);
      assertProblem(otherBody, 422);
    }
  }

  private static io.vertx.ext.web.client.HttpRequest<Buffer> keyed(TestServer ts, String token, String key) {
    return ts.api.request(HttpMethod.POST, NOTES, token).putHeader("Idempotency-Key", key);
  }

  private static int waitingPid(PrivatePostgres pg, TestServer ts) {
    try (Connection c = pg.connect("postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = '" + ts.config.dbName()
           + "' AND usename = '" + ts.config.appRole() + "' AND wait_event_type = 'Lock'")) {
      return rs.next() ? rs.getInt(1) : 0;
    } catch (SQLException e) {
      return 0;
    }
  }
}
