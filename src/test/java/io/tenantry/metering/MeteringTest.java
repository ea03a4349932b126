package io.tenantry.metering;

import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of one deployment count one tenant while PostgreSQL drops their connections (pg_terminate_backend,
 * as a database restart or failover does): once both stopped, the stored counts equal the responses the clients
 * got, exactly — a flush retried after a failure neither loses nor doubles.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeteringTest {
  private static final String RECORDS = "/api/v1/collections/notes/records";
  private TestServer ts;

  @BeforeAll
  void start() {
    ts = TestServer.start(Map.of("metering.flush-ms", "100", "db.connect-timeout-ms", "30000"));
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  @Test
  void twoNodesCountingOneTenantWhileConnectionsDropAddUpToTheResponsesServed() throws Exception {
    String admin = ts.adminToken();
    String member = ts.tenantWithUser(admin, "two-nodes", "member");
    assertThat(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/tenants/two-nodes/limits", admin),
      new JsonObject().put("rate", 1_000_000).put("burst", 1_000_000)).statusCode()).isEqualTo(200);
    TestServer peer = ts.peer(Map.of("metering.flush-ms", "100"));
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger writes = new AtomicInteger();
    AtomicBoolean dropping = new AtomicBoolean(true);
    Thread dropper = new Thread(() -> {
      while (dropping.get()) {
        terminateRuntimeConnections();
        sleep(150);
      }
    });
    dropper.start();
    List<Thread> clients = new ArrayList<>();
    for (TestServer node : List.of(ts, peer)) {
      for (int c = 0; c < 2; c++) {
        Thread client = new Thread(() -> {
          for (int i = 0; i < 60; i++) {
            try {
              if (i % 3 == 0) {
                served(node.api.send(node.api.request(HttpMethod.POST, RECORDS, member), new JsonObject().put("i", i)), writes);
              } else {
                served(node.api.get(RECORDS, member), reads);
              }
            } catch (RuntimeException e) {
              throw new AssertionError("a request went unanswered", e);
            }
          }
        });
        clients.add(client);
        client.start();
      }
    }
    for (Thread client : clients) {
      client.join();
    }
    dropping.set(false);
    dropper.join();
    peer.stopServer();
    ts.stopServer();
    try {
      assertThat(reads.get() + writes.get()).isPositive();
      assertThat(stored("requests_read")).isEqualTo(reads.get());
      assertThat(stored("requests_write")).isEqualTo(writes.get());
    } finally {
      ts.restart();
      peer.close();
    }
  }

  @Test
  void aWriteCutOffBeforeItsResponseIsNotChargedAndTheServedOnesAre() throws Exception {
    String admin = ts.adminToken();
    String member = ts.tenantWithUser(admin, "cut-off", "member");
    assertThat(ts.api.send(ts.api.request(HttpMethod.POST, RECORDS, member), new JsonObject().put("i", 1)).statusCode())
      .isEqualTo(201);
    double resets = resets(admin);
    try (Socket socket = new Socket("127.0.0.1", ts.config.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + RECORDS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + member
        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // the body handler asks for the body once the gate has admitted the request (and the meter noted it)
      String interim = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
      assertThat(interim).isEqualTo("HTTP/1.1 100 Continue");
      out.write("{\"data\":".getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } // closed before the body's end: the request never gets its response
    Eventually.within(Duration.ofSeconds(10), "the server saw the connection close", () -> resets(admin) > resets);

    // the cut-off write ended before this one started: a flush holding this one holds whatever the other counted
    assertThat(ts.api.send(ts.api.request(HttpMethod.POST, RECORDS, member), new JsonObject().put("i", 2)).statusCode())
      .isEqualTo(201);
    Eventually.within(Duration.ofSeconds(10), "both served writes flushed", () -> stored("cut-off", "requests_write") >= 2);
    assertThat(stored("cut-off", "requests_write")).as("the served writes, not the one cut off").isEqualTo(2);
  }

  /** This node's vertx_http_server_request_resets_total, read by the super-admin. */
  private double resets(String admin) {
    String text = ts.api.get("/metrics", admin).bodyAsString();
    return text.lines().filter(l -> l.startsWith("vertx_http_server_request_resets_total"))
      .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void aBatchStoredTwiceCountsOnce() {
    String admin = ts.adminToken();
    UUID tenant = UUID.fromString(ts.createTenant(admin, "stored-twice").getString("id"));
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(new PgConnectOptions()
      .setHost(TestEnv.pgHost()).setPort(TestEnv.pgPort()).setDatabase(ts.config.dbName())
      .setUser(TestEnv.adminUser())).using(ts.vertx).build();
    try {
      UsageMeter meter = new UsageMeter(true);
      meter.add(tenant, Meter.QUERY_UNITS, 7);
      UsageBatch batch = meter.drain(Instant.now());
      UsageFlusher flusher = new UsageFlusher(ts.vertx, pool, meter, 60_000);
      Await.result(flusher.store(batch));
      Await.result(flusher.store(batch)); // the retry of a flush whose answer was lost
      assertThat(stored("stored-twice", "query_units")).isEqualTo(7);
      meter.add(tenant, Meter.QUERY_UNITS, 5);
      Await.result(flusher.store(meter.drain(Instant.now()))); // the next flush: a new sequence number
      assertThat(stored("stored-twice", "query_units")).isEqualTo(12);
    } finally {
      pool.close();
    }
  }

  /** Served: answered without a server error (a request failing on a dropped connection is not charged). */
  private static void served(io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> response, AtomicInteger served) {
    if (response.statusCode() < 500) {
      served.incrementAndGet();
    }
  }

  private long stored(String meter) {
    return stored("two-nodes", meter);
  }

  private long stored(String slug, String meter) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT coalesce(sum(quantity), 0) FROM platform.usage_flushes f "
           + "JOIN platform.tenants t ON t.id = f.tenant_id WHERE t.slug = '" + slug + "' AND meter = '" + meter + "'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private void terminateRuntimeConnections() {
    try (Connection c = TestEnv.connect("postgres", TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + ts.config.dbName()
        + "' AND usename = '" + ts.config.appRole() + "'");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
