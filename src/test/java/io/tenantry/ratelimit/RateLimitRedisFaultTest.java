package io.tenantry.ratelimit;

import io.tenantry.support.Eventually;
import io.tenantry.support.RedisProcess;
import io.tenantry.support.TestServer;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.tenantry.ratelimit.Limited.NOTES;
import static io.tenantry.ratelimit.Limited.limits;
import static io.tenantry.ratelimit.Limited.setLimits;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis failing under a running server — killed, restarted, stalled — on a redis-server of the test's own: requests
 * keep being served under local limits (limit / live nodes, here 2), never a 5xx, latency bounded by the Redis
 * timeout; once Redis answers again the breaker closes and the global limit is back, without a restart.
 */
class RateLimitRedisFaultTest {
  private static final int TIMEOUT_MS = 250;
  private static RedisProcess redis;
  private static TestServer ts;
  private static String admin;
  private static CircuitBreaker breaker;
  private static RateLimitCounters counters;

  @BeforeAll
  static void start() {
    redis = RedisProcess.start();
    ts = TestServer.start(Map.of(
      "redis.url", redis.url(),
      "ratelimit.nodes", "2",
      "ratelimit.redis-timeout-ms", Integer.toString(TIMEOUT_MS),
      "ratelimit.breaker-reset-ms", "300"));
    admin = ts.adminToken();
    breaker = ts.server().rateLimiting().breaker();
    counters = ts.server().rateLimiting().counters();
  }

  @AfterAll
  static void stop() {
    try {
      ts.close();
    } finally {
      redis.close();
    }
  }

  private record Outcome(int admitted, long slowestMs, double seconds) {
  }

  /** Sends {@code count} requests one after another; none may be a 5xx. */
  private static Outcome send(String token, int count) {
    int admitted = 0;
    long slowest = 0;
    long begin = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      HttpResponse<Buffer> r = ts.api.get(NOTES, token);
      slowest = Math.max(slowest, (System.nanoTime() - start) / 1_000_000);
      assertThat(r.statusCode()).as("request %d: %s", i + 1, r.bodyAsString()).isIn(200, 429);
      admitted += r.statusCode() == 200 ? 1 : 0;
    }
    return new Outcome(admitted, slowest, (System.nanoTime() - begin) / 1e9);
  }

  private static String tenant(String slug, int rate, int burst) {
    String token = ts.tenantWithUser(admin, slug, "member");
    setLimits(ts, admin, slug, limits(rate, burst));
    return token;
  }

  /** Probes with requests until the breaker has closed again (a half-open probe needs traffic). */
  private static void awaitGlobalLimiting(String probe) {
    Eventually.within(Duration.ofSeconds(15), "the breaker closes", () -> {
      send(probe, 1);
      return breaker.state() == CircuitBreakerState.CLOSED;
    });
  }

  @Test
  void redisKilledMidTestMeansLocalLimitsThenRestartedMeansGlobalLimitsAgain() {
    String probe = tenant("probe", 1000, 1000);
    String during = tenant("during-outage", 1, 20);
    String after = tenant("after-outage", 1, 20);
    assertThat(send(probe, 1).admitted()).isEqualTo(1);

    redis.stop();
    long fallbacksBefore = counters.localFallbacks();
    Outcome outage = send(during, 30);
    assertThat(outage.admitted()).as("this node's share: burst 20 and 1/s over 2 nodes")
      .isBetween(10, 10 + (int) Math.ceil(outage.seconds() / 2));
    assertThat(outage.slowestMs()).isLessThan(TIMEOUT_MS + 750);
    assertThat(counters.localFallbacks() - fallbacksBefore).isEqualTo(30);
    assertThat(breaker.state()).isNotEqualTo(CircuitBreakerState.CLOSED);

    redis.startAgain(); // a new, empty Redis on the same port: scripts and connections are gone
    awaitGlobalLimiting(probe);
    long callsBefore = counters.redisCalls();
    Outcome recovered = send(after, 30);
    assertThat(recovered.admitted()).as("the whole burst again, from Redis")
      .isBetween(20, 20 + (int) Math.floor(recovered.seconds()));
    assertThat(counters.redisCalls()).isGreaterThan(callsBefore);
    String id = ts.api.get("/admin/v1/tenants/after-outage", admin).bodyAsJsonObject().getString("id");
    assertThat(redis.command("EXISTS", Bucket.tenantKey(ts.config.redisKeyPrefix(), java.util.UUID.fromString(id))))
      .isEqualTo(":1");
  }

  @Test
  void aStalledRedisOpensTheBreakerAndRequestsStayFast() {
    String probe = tenant("stall-probe", 1000, 1000);
    String token = tenant("stalled", 1000, 8); // lease size 1: every request needs Redis
    assertThat(send(token, 1).admitted()).isEqualTo(1);

    Thread stall = redis.stall(3.0);
    long failuresBefore = counters.redisFailures();
    long[] slowest = {0};
    Eventually.within(Duration.ofSeconds(3), "the breaker opens", () -> {
      slowest[0] = Math.max(slowest[0], send(token, 1).slowestMs());
      return breaker.state() == CircuitBreakerState.OPEN;
    });
    assertThat(counters.redisFailures() - failuresBefore).isGreaterThanOrEqualTo(3);
    Outcome whileOpen = send(token, 20);
    assertThat(Math.max(slowest[0], whileOpen.slowestMs())).as("no request waits much beyond the Redis timeout")
      .isLessThan(TIMEOUT_MS + 750);
    assertThat(whileOpen.admitted()).as("decided locally, on this node's share").isPositive();

    Eventually.within(Duration.ofSeconds(10), "the stall ends", () -> !stall.isAlive());
    awaitGlobalLimiting(probe);
  }
}
