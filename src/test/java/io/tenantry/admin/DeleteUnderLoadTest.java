package io.tenantry.admin;

import io.tenantry.support.RedisScan;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting a tenant while its requests are in flight: every request ends with a success, 404 or 503 (problem+json),
 * never a 500, in every tier; and the tenant's rate-limit state is gone from Redis afterwards.
 */
class DeleteUnderLoadTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static final int WORKERS = 8;
  private static TestServer ts;
  private static String admin;
  private static Redis redis;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("db.pool-size", "8", "tenancy.delete-grace-seconds", "1"));
    admin = ts.adminToken();
    redis = Redis.createClient(ts.vertx, ts.config.redisUrl());
  }

  @AfterAll
  static void stop() {
    redis.close();
    ts.close();
  }

  /** The tenant's keys in Redis, found as an operator would: SCAN over the test's own prefix. */
  private static List<String> keysOf(String tenantId) {
    return RedisScan.tenantKeys(redis, ts.config.redisKeyPrefix(), tenantId);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"shared", "schema", "database"})
  void deletingATenantWhileItsRequestsRunAnswersNoneWith500(String tier) {
    String slug = "doomed-" + tier;
    HttpResponse<Buffer> created = ts.api.post("/admin/v1/tenants", admin,
      new JsonObject().put("slug", slug).put("name", slug).put("isolation", tier));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String tenantId = created.bodyAsJsonObject().getString("id");
    ts.addUser(admin, slug, "m@" + slug + ".test", "member");
    String token = ts.api.token("m@" + slug + ".test", "password-of-m@" + slug + ".test", slug);
    // Never refused for its rate, yet every request moves its buckets' state in Redis a second ahead: the keys stay.
    assertThat(ts.api.send(ts.api.request(HttpMethod.PUT, "/admin/v1/tenants/" + slug + "/limits", admin), new JsonObject()
      .put("rate", 1).put("burst", 1_000_000).put("user_rate", 1).put("user_burst", 1_000_000)).statusCode()).isEqualTo(200);
    String seed = ts.api.post(NOTES, token, new JsonObject().put("n", 0)).bodyAsJsonObject().getString("id");

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger served = new AtomicInteger();
    AtomicInteger gone = new AtomicInteger();
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      Thread thread = new Thread(() -> {
        for (int n = 0; running.get(); n++) {
          HttpResponse<Buffer> r = switch ((worker + n) % 4) {
            case 0 -> ts.api.post(NOTES, token, new JsonObject().put("w", worker).put("n", n));
            case 1 -> ts.api.get(NOTES + "/" + seed, token);
            case 2 -> ts.api.get(NOTES + "?limit=5", token);
            default -> ts.api.put(NOTES + "/" + seed, token, new JsonObject().put("w", worker), null);
          };
          int status = r.statusCode();
          if (status == 200 || status == 201) {
            served.incrementAndGet();
          } else if ((status == 404 || status == 503)
            && "application/problem+json".equals(r.getHeader("Content-Type"))) {
            gone.incrementAndGet();
          } else {
            wrong.add(status + " " + r.bodyAsString());
          }
        }
      }, "load-" + worker);
      thread.setDaemon(true);
      thread.start();
      workers.add(thread);
    }
    try {
      Eventually.within(Duration.ofSeconds(30), "requests served before the delete", () -> served.get() >= 200);
      assertThat(keysOf(tenantId)).as("the tenant's rate-limit keys while it is served").isNotEmpty();
      HttpResponse<Buffer> deleted = ts.api.delete("/admin/v1/tenants/" + slug, admin, null);
      assertThat(deleted.statusCode()).as(deleted.bodyAsString()).isEqualTo(204);
      int goneAtDelete = gone.get();
      Eventually.within(Duration.ofSeconds(30), "requests answered after the delete", () -> gone.get() >= goneAtDelete + 100);
    } finally {
      running.set(false);
      workers.forEach(thread -> {
        try {
          thread.join(30_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }
    assertThat(wrong).as("answers other than 2xx, 404 or 503 problems").isEmpty();
    assertThat(ts.api.get(NOTES, token).statusCode()).isEqualTo(404);
    Eventually.within(Duration.ofSeconds(15), "no Redis key of the deleted tenant", () -> keysOf(tenantId).isEmpty());
    assertThat(Set.copyOf(keysOf(tenantId))).isEmpty();
  }
}
