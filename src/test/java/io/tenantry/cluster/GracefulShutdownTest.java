package io.tenantry.cluster;

import io.tenantry.support.Await;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tenantry.cluster.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a real Tenantry process (node A) while a stream of requests runs through a small load balancer that
 * spreads them over A and an in-JVM node B and, like a real one, stops sending to a node whose /health/ready is
 * not 200. Every request must succeed: those already at A finish there, including one whose body is still
 * arriving when A stops accepting; A leaves the cluster on its way out, and exits with the JVM's SIGTERM code.
 */
class GracefulShutdownTest {
  private static final int DRAIN_MS = 1000;
  private static final String RECORDS = "/api/v1/collections/notes/records";

  @Test
  void sigtermDuringAStreamOfRequestsFailsNone() throws Exception {
    try (TestCluster cluster = TestCluster.of(2, 1, Map.of("shutdown.drain-ms", Integer.toString(DRAIN_MS),
      "shutdown.timeout-ms", "10000", "http.instances", "1"))) {
      TestNode b = cluster.node(0);
      String admin = b.api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null);
      String token = tenantWithMember(b, admin);
      Map<String, String> aFlags = cluster.flags(1);
      int aPort = Integer.parseInt(aFlags.get("http.port"));
      try (TenantryProcess a = TenantryProcess.serve(aFlags)) {
        WebClient toA = WebClient.create(cluster.clients, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(aPort));
        within(Duration.ofSeconds(90), "node A serves and sees B", () -> {
          if (!a.alive()) {
            throw new AssertionError("node A exited; log:\n" + a.logText());
          }
          return readyWithMembers(toA, 2, admin);
        });

        Balancer balancer = new Balancer(toA, b.http);
        balancer.start(token, 6);
        within(Duration.ofSeconds(20), "A has served part of the stream", () -> balancer.servedByA.get() >= 30);

        HttpClient raw = cluster.clients.createHttpClient();
        HttpClientRequest slow = Await.result(raw.request(new RequestOptions().setMethod(HttpMethod.POST)
          .setHost("127.0.0.1").setPort(aPort).setURI(RECORDS)
          .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json")));
        slow.setChunked(true);
        // Read on the event loop as it arrives: a response awaited here first would have its body gone by then.
        Future<JsonObject> slowAnswer = slow.response().compose(r -> r.body()
          .map(body -> new JsonObject().put("status", r.statusCode()).put("body", body.toString())));
        Await.result(slow.write("{\"title\":"));

        long sigterm = System.nanoTime();
        a.terminate();
        // The rest of the body arrives after the drain, when A no longer accepts connections: still in flight.
        Thread.sleep(DRAIN_MS + 800);
        Await.result(slow.end("\"sent slowly\"}"));
        JsonObject slowResult = Await.result(slowAnswer, 30);

        int exit = a.awaitExit(30);
        long stoppedAfterMs = (System.nanoTime() - sigterm) / 1_000_000;
        within(Duration.ofSeconds(5), "B sees A gone", () -> b.membersSeen() == 1);
        balancer.stop();

        assertThat(slowResult.getInteger("status")).as(slowResult.encode()).isEqualTo(201);
        assertThat(new JsonObject(slowResult.getString("body")).getJsonObject("data").getString("title")).isEqualTo("sent slowly");
        assertThat(balancer.failures).as("failed requests").isEmpty();
        assertThat(balancer.servedByB.get()).isPositive();
        assertThat(exit).as(a.logText()).isEqualTo(143);
        assertThat(stoppedAfterMs).isGreaterThanOrEqualTo(DRAIN_MS).isLessThan(20_000);
        assertThat(a.logText()).contains("shutting down").contains("left the cluster").contains("stopped")
          .doesNotContain("unclean shutdown");
        raw.close();
        toA.close();
      }
    }
  }

  private static String tenantWithMember(TestNode via, String admin) {
    assertThat(via.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "acme").put("name", "Acme"))
      .statusCode()).isEqualTo(201);
    assertThat(via.api.post("/admin/v1/tenants/acme/users", admin, new JsonObject()
      .put("email", "m@acme.test").put("password", "password-of-m@acme.test").put("role", "member")).statusCode())
      .isEqualTo(201);
    // The stream is about shutdown, not rate limits: lift the tenant's limits far above what it sends.
    assertThat(via.api.send(via.api.request(HttpMethod.PUT, "/admin/v1/tenants/acme/limits", admin),
      new JsonObject().put("rate", 1_000_000).put("burst", 1_000_000)).statusCode()).isEqualTo(200);
    return via.api.token("m@acme.test", "password-of-m@acme.test", "acme");
  }

  /** What a load balancer looks at: the status, asked anonymously. */
  private static boolean ready(WebClient node) {
    try {
      return Await.result(node.get("/health/ready").send(), 5).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean readyWithMembers(WebClient node, int members, String operatorToken) {
    try {
      HttpResponse<Buffer> ready = Await.result(node.get("/health/ready").bearerTokenAuthentication(operatorToken).send(), 5);
      return ready.statusCode() == 200 && ready.bodyAsString().contains("\"members\":" + members);
    } catch (Exception e) { // Future.await rethrows a refused connection as the (checked) ConnectException
      return false; // not listening (yet, or any more)
    }
  }

  /**
   * Round-robin over A and B for as long as A's readiness is 200 (checked every 100 ms, as a load balancer
   * would); a connection A refuses is retried on B, which is safe because nothing was sent.
   */
  private static final class Balancer {
    final WebClient a;
    final WebClient b;
    final AtomicBoolean aReady = new AtomicBoolean(true);
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger servedByA = new AtomicInteger();
    final AtomicInteger servedByB = new AtomicInteger();
    final AtomicInteger turn = new AtomicInteger();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new java.util.ArrayList<>();

    Balancer(WebClient a, WebClient b) {
      this.a = a;
      this.b = b;
    }

    void start(String token, int loops) {
      threads.add(daemon(this::watchA));
      for (int i = 0; i < loops; i++) {
        int loop = i;
        threads.add(daemon(() -> {
          int n = 0;
          while (running.get()) {
            send(token, loop, n++);
          }
        }));
      }
    }

    private static Thread daemon(Runnable body) {
      Thread thread = new Thread(body, "balancer");
      thread.setDaemon(true);
      thread.start();
      return thread;
    }

    private void watchA() {
      while (running.get() && aReady.get()) {
        aReady.set(ready(a));
        sleep(100);
      }
    }

    private void send(String token, int loop, int n) {
      boolean toA = aReady.get() && turn.incrementAndGet() % 2 == 0;
      try {
        int status = call(toA ? a : b, token, loop, n);
        record(toA, status);
      } catch (Exception e) { // Future.await rethrows checked failures undeclared
        if (toA && refused(e)) {
          record(false, call(b, token, loop, n)); // never reached A: the balancer tries the next node
        } else {
          failures.add((toA ? "A: " : "B: ") + e);
        }
      }
    }

    private static boolean refused(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConnectException) {
          return true;
        }
      }
      return false;
    }

    private void record(boolean byA, int status) {
      if (status >= 200 && status < 300) {
        (byA ? servedByA : servedByB).incrementAndGet();
      } else {
        failures.add((byA ? "A: " : "B: ") + "status " + status);
      }
    }

    private static int call(WebClient node, String token, int loop, int n) {
      Future<HttpResponse<Buffer>> response = n % 2 == 0
        ? node.get(RECORDS + "?limit=5").bearerTokenAuthentication(token).send()
        : node.post(RECORDS).bearerTokenAuthentication(token).sendJsonObject(new JsonObject().put("loop", loop).put("n", n));
      return Await.result(response, 30).statusCode();
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(10_000);
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
}
