package io.tenantry.cluster;

import io.tenantry.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;

import static io.tenantry.cluster.Eventually.within;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real nodes in this JVM, clustered over loopback with Hazelcast, sharing one PostgreSQL database and
 * Redis. The tests run in order on the same cluster: a node is killed, then started again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  /** Failure detection plus a margin for a loaded machine. */
  private static final Duration MEMBER_GONE = Duration.ofSeconds(TestCluster.FAILURE_TIMEOUT_SECONDS + 10);
  private static final String RECORDS = "/api/v1/collections/notes/records";

  private static TestCluster cluster;
  private static String adminToken;
  private static String memberToken;

  @BeforeAll
  static void startThreeNodes() {
    cluster = TestCluster.of(3);
    adminToken = cluster.node(0).api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null);
    memberToken = tenantWithMember(cluster.node(0), "acme");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String tenantWithMember(TestNode via, String slug) {
    assertThat(via.api.post("/admin/v1/tenants", adminToken, new JsonObject().put("slug", slug).put("name", slug))
      .statusCode()).isEqualTo(201);
    String email = "member@" + slug + ".test";
    assertThat(via.api.post("/admin/v1/tenants/" + slug + "/users", adminToken,
      new JsonObject().put("email", email).put("password", "password-of-" + email).put("role", "member"))
      .statusCode()).isEqualTo(201);
    return via.api.token(email, "password-of-" + email, slug);
  }

  private static int records(TestNode node) {
    return node.api.get(RECORDS, memberToken).statusCode();
  }

  private static void setStatus(TestNode via, String action) {
    assertThat(via.api.post("/admin/v1/tenants/acme/" + action, adminToken, new JsonObject()).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(1)
  void everyNodeSeesThreeMembersAndServesEveryTenant() {
    List<String> ids = List.of(0, 1, 2).stream().map(i -> {
      JsonObject check = cluster.node(i).clusterCheck();
      assertThat(check.getInteger("http_status")).isEqualTo(200);
      assertThat(check.getJsonObject("data").getInteger("members")).isEqualTo(3);
      assertThat(cluster.node(i).node.liveNodes().liveNodes()).isEqualTo(3);
      assertThat(records(cluster.node(i))).isEqualTo(200);
      return check.getJsonObject("data").getString("node_id");
    }).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(cluster.node(1).clusterCheck().getJsonObject("data").getJsonArray("member_ids").getList())
      .containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  @Order(2)
  void aTenantSuspendedThroughOneNodeIsRefusedByTheOthersWithinOneSecond() {
    // Nodes 2 and 3 have the tenant cached as active.
    assertThat(records(cluster.node(1))).isEqualTo(200);
    assertThat(records(cluster.node(2))).isEqualTo(200);

    setStatus(cluster.node(0), "suspend");
    report(within(ONE_SECOND, "node 2 refuses the suspended tenant", () -> records(cluster.node(1)) == 403));
    report(within(ONE_SECOND, "node 3 refuses the suspended tenant", () -> records(cluster.node(2)) == 403));

    setStatus(cluster.node(0), "resume");
    report(within(ONE_SECOND, "node 2 serves the resumed tenant", () -> records(cluster.node(1)) == 200));
    report(within(ONE_SECOND, "node 3 serves the resumed tenant", () -> records(cluster.node(2)) == 200));
  }

  @Test
  @Order(3)
  void aKilledNodeLeavesTheOthersServing() {
    TestNode third = cluster.node(2);
    third.loseCluster();
    // Cut off, node 3 knows it: it reports not ready, so a load balancer stops sending it requests.
    JsonObject lost = third.clusterCheck();
    assertThat(lost.getInteger("http_status")).isEqualTo(503);
    assertThat(lost.getJsonObject("data").getString("error")).contains("lost the cluster");
    third.close();
    cluster.gone(2);

    within(MEMBER_GONE, "nodes 1 and 2 see two members", () -> seen(0, n -> n == 2) && seen(1, n -> n == 2));
    assertThat(cluster.node(0).node.liveNodes().liveNodes()).isEqualTo(2);
    assertThat(records(cluster.node(0))).isEqualTo(200);
    assertThat(records(cluster.node(1))).isEqualTo(200);
    assertThat(cluster.node(1).clusterCheck().getInteger("http_status")).isEqualTo(200);
  }

  @Test
  @Order(4)
  void aRestartedNodeRejoinsAndGetsInvalidationsSentAfterwards() {
    TestNode third = cluster.startNode(2);
    within(Duration.ofSeconds(15), "all nodes see three members",
      () -> seen(0, n -> n == 3) && seen(1, n -> n == 3) && seen(2, n -> n == 3));
    assertThat(records(third)).isEqualTo(200); // cached as active on the new node

    setStatus(cluster.node(0), "suspend");
    report(within(ONE_SECOND, "the rejoined node refuses the suspended tenant", () -> records(third) == 403));
    setStatus(third, "resume");
    within(ONE_SECOND, "node 1 serves the tenant resumed through the rejoined node", () -> records(cluster.node(0)) == 200);
    within(ONE_SECOND, "node 2 serves the tenant resumed through the rejoined node", () -> records(cluster.node(1)) == 200);
    assertThat(records(third)).isEqualTo(200);
  }

  private static void report(Duration took) {
    System.out.println("change in effect on another node after " + took.toMillis() + " ms");
  }

  private static boolean seen(int node, IntPredicate members) {
    return members.test(cluster.node(node).membersSeen());
  }
}
