package io.tenantry.queries;

import io.tenantry.records.Record;
import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out's stream on a plain HTTP server, with parts the test controls: timeouts and a client that leaves. */
class FanOutTest {
  private static final QueryRequest QUERY = new QueryRequest("orders", new QueryRequest.All(), new JsonObject(), 10);
  private Vertx vertx;
  private HttpServer server;
  private final AtomicReference<HttpServerResponse> response = new AtomicReference<>();
  private final AtomicReference<Context> serverContext = new AtomicReference<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close(), 10);
  }

  private int serve(List<Tenant> tenants, FanOut.Part part, int timeoutMs, int concurrency) {
    List<List<Tenant>> batches = new ArrayList<>(List.of(tenants));
    QueryTargets.Source source = () -> Future.succeededFuture(batches.isEmpty() ? List.of() : batches.remove(0));
    server = Await.result(vertx.createHttpServer().requestHandler(request -> {
      response.set(request.response());
      serverContext.set(Vertx.currentContext());
      new FanOut(vertx, request.response(), QUERY, source, part, timeoutMs, concurrency, "req-1").start();
    }).listen(TestServer.freePort(), "127.0.0.1"), 10);
    return server.actualPort();
  }

  private static List<Tenant> tenants(int n) {
    List<Tenant> tenants = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      tenants.add(new Tenant(UUID.randomUUID(), "t" + i, "t" + i, Tenant.Status.ACTIVE, Isolation.SHARED, null, 0, null,
        Instant.now(), null));
    }
    return tenants;
  }

  private static Record record(Tenant tenant) {
    OffsetDateTime now = OffsetDateTime.now();
    return new Record(UUID.randomUUID(), "orders", 1, new JsonObject().put("owner", tenant.slug()), now, now);
  }

  @Test
  void aPartThatRunsOutOfTimeIsAnErrorLineAndTheOthersAreComplete() {
    int port = serve(tenants(4), (tenant, query) -> tenant.slug().equals("t2")
      ? Promise.<List<Record>>promise().future() // never answers
      : Future.succeededFuture(List.of(record(tenant), record(tenant))), 200, 2);
    String body = Await.result(WebClient.create(vertx).post(port, "127.0.0.1", "/").send(), 10).bodyAsString();
    List<JsonObject> lines = new ArrayList<>();
    body.lines().forEach(line -> lines.add(new JsonObject(line)));
    assertThat(lines).filteredOn(line -> line.containsKey("record")).extracting(line -> line.getString("tenant"))
      .containsExactlyInAnyOrder("t1", "t1", "t3", "t3", "t4", "t4");
    assertThat(lines).filteredOn(line -> line.containsKey("error")).singleElement().satisfies(line -> {
      assertThat(line.getString("tenant")).isEqualTo("t2");
      assertThat(line.getJsonObject("error").getInteger("status")).isEqualTo(504);
      assertThat(line.getJsonObject("error").getString("instance")).isEqualTo("urn:tenantry:request:req-1");
    });
    JsonObject summary = lines.get(lines.size() - 1).getJsonObject("summary");
    assertThat(summary.getLong("succeeded")).isEqualTo(3);
    assertThat(summary.getLong("failed")).isEqualTo(1);
    assertThat(summary.getLong("records")).isEqualTo(6);
  }

  @Test
  void noPartStartsAfterTheClientHasGone() throws Exception {
    List<String> started = new CopyOnWriteArrayList<>();
    Promise<List<Record>> first = Promise.promise();
    int port = serve(tenants(5), (tenant, query) -> {
      started.add(tenant.slug());
      return tenant.slug().equals("t1") ? first.future() : Future.succeededFuture(List.of(record(tenant)));
    }, 30_000, 1);
    HttpClient client = vertx.createHttpClient();
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/"))
      .compose(request -> request.send());
    Eventually.within(Duration.ofSeconds(10), "the first part started", () -> started.equals(List.of("t1")));
    Await.result(client.close(), 10);
    Eventually.within(Duration.ofSeconds(10), "the server saw the client go", () -> response.get().closed());

    // The first part finishes now; its completion runs the fan-out's next step right here, on the server's context.
    CompletableFuture<List<String>> afterwards = new CompletableFuture<>();
    serverContext.get().runOnContext(v -> {
      try {
        first.complete(List.of());
      } finally {
        afterwards.complete(List.copyOf(started));
      }
    });
    assertThat(afterwards.get(10, TimeUnit.SECONDS)).containsExactly("t1");
  }

  @Test
  void aReaderThatStopsReadingStopsTheFanOut() throws Exception {
    int tenants = 200;
    String big = "x".repeat(256 * 1024);
    List<String> started = new CopyOnWriteArrayList<>();
    int port = serve(tenants(tenants), (tenant, query) -> {
      started.add(tenant.slug());
      OffsetDateTime now = OffsetDateTime.now();
      return Future.succeededFuture(List.of(new Record(UUID.randomUUID(), "orders", 1,
        new JsonObject().put("owner", tenant.slug()).put("padding", big), now, now)));
    }, 30_000, 1);
    HttpClient client = vertx.createHttpClient();
    HttpClientResponse paused = Await.result(client.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(port).setURI("/"))
      .compose(request -> request.send())
      .map(answer -> {
        answer.pause();
        return answer;
      }), 10);
    Eventually.within(Duration.ofSeconds(10), "the response's write queue is full", () -> {
      CompletableFuture<Boolean> full = new CompletableFuture<>();
      serverContext.get().runOnContext(v -> full.complete(response.get().writeQueueFull()));
      return full.join();
    });
    CompletableFuture<Integer> whileFull = new CompletableFuture<>();
    serverContext.get().runOnContext(v -> whileFull.complete(started.size()));
    assertThat(whileFull.get(10, TimeUnit.SECONDS)).isLessThan(tenants);

    Future<String> rest = paused.body().map(Object::toString);
    paused.resume();
    String body = Await.result(rest, 30);
    assertThat(body.lines().filter(line -> line.contains("\"record\"")).count()).isEqualTo(tenants);
    assertThat(started).hasSize(tenants);
    Await.result(client.close(), 10);
  }
}
