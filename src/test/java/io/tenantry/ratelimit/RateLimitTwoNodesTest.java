package io.tenantry.ratelimit;

import io.tenantry.support.Await;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tenantry.ratelimit.Limited.NOTES;
import static io.tenantry.ratelimit.Limited.header;
import static io.tenantry.ratelimit.Limited.limits;
import static io.tenantry.ratelimit.Limited.setLimits;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes of one deployment (same database, same Redis and key prefix, no shared event bus) enforce one limit
 * per tenant, within the bound docs/rate-limits.md gives, and see each other's limit changes within a second.
 */
class RateLimitTwoNodesTest {
  private static final int NODES = 2;
  private static TestServer a;
  private static TestServer b;
  private static String admin;

  @BeforeAll
  static void start() {
    // A generous Redis timeout: this test measures the Redis path's accuracy, and on a busy 2-core machine a call
    // can take longer than the production default; the fallback path has its own test.
    a = TestServer.start(Map.of("ratelimit.nodes", Integer.toString(NODES), "ratelimit.redis-timeout-ms", "2000"));
    b = a.peer();
    admin = a.adminToken();
  }

  @AfterAll
  static void stop() {
    try {
      b.close();
    } finally {
      a.close();
    }
  }

  @Test
  void aBurstSpreadOverBothNodesIsAdmittedOnceWithinTheBound() {
    int rate = 1;
    int burst = 40;
    String token = a.tenantWithUser(admin, "global", "member");
    setLimits(a, admin, "global", limits(rate, burst));
    long start = System.nanoTime();
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    // One request through each node first, so that both hold a lease when the concurrent burst starts: which node's
    // requests reach Redis first within the burst is up to timing, and one node alone could take the whole burst.
    for (TestServer node : List.of(a, b)) {
      sent.add(Future.succeededFuture(Await.result(node.api.request(io.vertx.core.http.HttpMethod.GET, NOTES, token).send(), 30)));
    }
    for (int i = 0; i < 120; i++) { // concurrent, alternating between the nodes
      TestServer node = i % 2 == 0 ? a : b;
      sent.add(node.api.request(io.vertx.core.http.HttpMethod.GET, NOTES, token).send());
    }
    int admitted = 0;
    for (Future<HttpResponse<Buffer>> response : sent) {
      int status = Await.result(response, 30).statusCode();
      assertThat(status).isIn(200, 429);
      admitted += status == 200 ? 1 : 0;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int lease = LeaseSize.of(burst, NODES, a.config.rateLimit().leaseMax());
    System.out.printf("two nodes admitted %d of a burst of %d in %.2f s (lease size %d)%n", admitted, burst, seconds, lease);
    assertThat(admitted).as("at most burst + rate × time + nodes × lease size")
      .isLessThanOrEqualTo(burst + (int) Math.ceil(rate * seconds) + NODES * lease);
    assertThat(admitted).as("at least burst less what the other node may hold unspent")
      .isGreaterThanOrEqualTo(burst - NODES * (lease - 1));
    assertThat(a.server().rateLimiting().counters().allowed()).isPositive();
    assertThat(b.server().rateLimiting().counters().allowed()).isPositive();
    assertThat(a.server().rateLimiting().counters().localFallbacks() + b.server().rateLimiting().counters().localFallbacks())
      .as("every decision came from Redis leases").isZero();
  }

  @Test
  void aLimitChangedThroughOneNodeAppliesOnTheOtherWithinASecond() {
    String token = a.tenantWithUser(admin, "propagated", "member");
    setLimits(a, admin, "propagated", limits(100, 30));
    assertThat(header(b.api.get(NOTES, token), "RateLimit-Limit")).isEqualTo(30);
    setLimits(a, admin, "propagated", limits(100, 70));
    Duration took = Eventually.within(Duration.ofSeconds(3), "node b enforces the new burst",
      () -> header(b.api.get(NOTES, token), "RateLimit-Limit") == 70);
    assertThat(took).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aSubtreeBudgetSetThroughOneNodeAppliesOnTheOtherWithinASecond() {
    a.createTenant(admin, "subtree-prop");
    assertThat(io.tenantry.admin.HierarchyTestSupport.child(a, admin, "subtree-prop-kid", "subtree-prop").statusCode())
      .isEqualTo(201);
    a.addUser(admin, "subtree-prop-kid", "member@subtree-prop-kid.test", "member");
    String token = a.api.token("member@subtree-prop-kid.test", "password-of-member@subtree-prop-kid.test", "subtree-prop-kid");
    assertThat(b.api.get(NOTES, token).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> set = a.api.send(a.api.request(io.vertx.core.http.HttpMethod.PUT,
      "/admin/v1/tenants/subtree-prop/limits/subtree", admin),
      new io.vertx.core.json.JsonObject().put("budget", limits(1, 1)));
    assertThat(set.statusCode()).as(set.bodyAsString()).isEqualTo(200);
    Duration took = Eventually.within(Duration.ofSeconds(3), "node b enforces the parent's budget", () -> {
      HttpResponse<Buffer> r = b.api.get(NOTES, token);
      return r.statusCode() == 429 && r.bodyAsString().contains("the subtree of 'subtree-prop'");
    });
    assertThat(took).isLessThan(Duration.ofSeconds(1));
  }
}
