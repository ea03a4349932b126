package io.tenantry.cluster;

import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
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
  void aKilledNodeLeavesTheOthersServingAndReleasesItsLock() {
    TestNode third = cluster.node(2);
    Promise<Void> neverDone = Promise.promise();
    third.node.locks().withLock("job:nightly", Duration.ofSeconds(5), neverDone::future);
    within(Duration.ofSeconds(5), "node 3 holds the lock", () -> lockBusy(cluster.node(0)));

    third.loseCluster();
    // Cut off, node 3 knows it: it reports not ready, so a load balancer stops sending it requests.
    JsonObject lost = third.clusterCheck();
    assertThat(lost.getInteger("http_status")).isEqualTo(503);
    assertThat(lost.getJsonObject("data").getString("error")).contains("lost the cluster");
    third.close();
    cluster.gone(2);
    // Whether closing the node fails its pending work or leaves it pending is Vert.x's business; what matters is
    // below: the lock it held is free for the surviving nodes.

    within(MEMBER_GONE, "nodes 1 and 2 see two members", () -> seen(0, n -> n == 2) && seen(1, n -> n == 2));
    assertThat(cluster.node(0).node.liveNodes().liveNodes()).isEqualTo(2);
    Boolean ran = await(cluster.node(0).node.locks().withLock("job:nightly", MEMBER_GONE,
      () -> Future.succeededFuture(true)));
    assertThat(ran).isTrue();
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

  @Test
  @Order(5)
  void nodesRacingToProvisionTheSameTenantDoTheWorkExactlyOnce() {
    String tenantId = UUID.randomUUID().toString();
    String schema = "t_" + tenantId.replace("-", "");
    String lock = "tenant:" + tenantId + ":provision";
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    List<Future<Boolean>> attempts = new ArrayList<>();
    // Three callers on each of two nodes, all at once: one node's callers must exclude each other too.
    for (int caller = 0; caller < 6; caller++) {
      TestNode node = cluster.node(caller % 2);
      attempts.add(node.node.locks().runOnce(lock, Duration.ofSeconds(20),
        () -> blocking(node, () -> schemaExists(schema)),
        () -> blocking(node, () -> {
          mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
          runs.incrementAndGet();
          Thread.sleep(200); // long enough for every other caller to be waiting on the lock
          createSchema(schema); // fails on a second run: PostgreSQL, not the lock, is the record of what is done
          running.decrementAndGet();
          return null;
        })));
    }
    List<Boolean> didWork = attempts.stream().map(ClusterTest::await).toList();
    assertThat(didWork).containsOnlyOnce(true).hasSize(6);
    assertThat(runs).hasValue(1);
    assertThat(mostAtOnce).hasValue(1);
    assertThat(blockingResult(() -> schemaExists(schema))).isTrue();
  }

  private static <T> Future<T> blocking(TestNode node, Callable<T> work) {
    return node.node.vertx().executeBlocking(work, false);
  }

  private static <T> T blockingResult(Callable<T> work) {
    try {
      return work.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean schemaExists(String schema) throws SQLException {
    try (Connection c = TestEnv.connect(cluster.node(0).config.dbName(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      st.setString(1, schema);
      return st.executeQuery().next();
    }
  }

  private static void createSchema(String schema) throws SQLException {
    try (Connection c = TestEnv.connect(cluster.node(0).config.dbName(), TestEnv.adminUser());
         Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
  }

  private static void report(Duration took) {
    System.out.println("change in effect on another node after " + took.toMillis() + " ms");
  }

  private static boolean seen(int node, IntPredicate members) {
    return members.test(cluster.node(node).membersSeen());
  }

  private static boolean lockBusy(TestNode node) {
    try {
      await(node.node.locks().withLock("job:nightly", Duration.ZERO, () -> Future.succeededFuture(true)));
      return false;
    } catch (LockUnavailable e) {
      return true;
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
