package io.tenantry.cluster;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits on a two-node cluster whose Redis is unreachable: each node enforces the tenant's limit divided by
 * the cluster's live members (not by ratelimit.nodes, left at 1), and a limit changed through one node reaches
 * the other over the clustered event bus — the periodic reload is set to a minute, so only the bus can do it.
 */
class ClusterRateLimitTest {
  private static final String RECORDS = "/api/v1/collections/notes/records";
  private static TestCluster cluster;
  private static String admin;
  private static String member;

  @BeforeAll
  static void startTwoNodesWithoutRedis() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    cluster = TestCluster.of(2, 2, Map.of(
      "redis.url", "redis://127.0.0.1:" + closedPort,
      "ratelimit.refresh-ms", "60000"));
    TestNode first = cluster.node(0);
    admin = first.api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null);
    assertThat(first.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "shared-out").put("name", "S"))
      .statusCode()).isEqualTo(201);
    assertThat(first.api.post("/admin/v1/tenants/shared-out/users", admin, new JsonObject()
      .put("email", "m@shared-out.test").put("password", "password-of-m").put("role", "member")).statusCode()).isEqualTo(201);
    member = first.api.token("m@shared-out.test", "password-of-m", "shared-out");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void setBurst(int burst) {
    HttpResponse<Buffer> r = cluster.node(0).api.send(cluster.node(0).api.request(HttpMethod.PUT,
      "/admin/v1/tenants/shared-out/limits", admin), new JsonObject().put("rate", 1).put("burst", burst));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
  }

  private static String limitSeenBy(int node) {
    return cluster.node(node).api.get(RECORDS, member).getHeader("RateLimit-Limit");
  }

  @Test
  void eachNodeEnforcesItsShareAndSeesAChangeMadeOnTheOtherWithinASecond() {
    setBurst(30);
    assertThat(cluster.node(1).node.liveNodes().liveNodes()).isEqualTo(2);
    assertThat(limitSeenBy(1)).as("burst 30 shared by 2 live nodes").isEqualTo("15");
    int admitted = 0;
    for (int i = 0; i < 20; i++) {
      admitted += cluster.node(1).api.get(RECORDS, member).statusCode() == 200 ? 1 : 0;
    }
    assertThat(admitted).as("the rest of node 2's share of 15").isBetween(14, 15);

    setBurst(70);
    Duration took = Eventually.within(Duration.ofSeconds(5), "node 2 enforces the new burst",
      () -> "35".equals(limitSeenBy(1)));
    System.out.printf("limit change reached the other node in %d ms%n", took.toMillis());
    assertThat(took).isLessThan(Duration.ofSeconds(1));
  }
}
