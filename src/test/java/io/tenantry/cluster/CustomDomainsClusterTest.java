package io.tenantry.cluster;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Two clustered nodes: a custom domain mapped or removed through node 0 names (or stops naming) the tenant on node 1 within 1 s. */
class CustomDomainsClusterTest {
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static final String DOMAIN = "/admin/v1/tenants/harbor/domains/notes.harbor.example";

  private static TestCluster cluster;
  private static String adminToken;
  private static String outsiderToken;

  @BeforeAll
  static void startTwoNodes() {
    cluster = TestCluster.of(2);
    TestNode via = cluster.node(0);
    adminToken = via.api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null);
    for (String slug : new String[] {"harbor", "outsider"}) {
      assertThat(via.api.post("/admin/v1/tenants", adminToken, new JsonObject().put("slug", slug).put("name", slug))
        .statusCode()).isEqualTo(201);
    }
    assertThat(via.api.post("/admin/v1/tenants/outsider/users", adminToken, new JsonObject()
      .put("email", "member@outsider.test").put("password", "password-of-member@outsider.test").put("role", "member"))
      .statusCode()).isEqualTo(201);
    outsiderToken = via.api.token("member@outsider.test", "password-of-member@outsider.test", "outsider");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static int listVia(TestNode node) {
    return node.api.getNaming(NOTES, outsiderToken, null, "notes.harbor.example").statusCode();
  }

  @Test
  void aMappingChangedThroughOneNodeIsInForceOnTheOtherWithinOneSecond() {
    TestNode other = cluster.node(1);
    assertThat(listVia(other)).as("unmapped: the host names no tenant").isEqualTo(200);

    assertThat(cluster.node(0).api.put(DOMAIN, adminToken, new JsonObject(), null).statusCode()).isEqualTo(201);
    Eventually.within(ONE_SECOND, "node 1 resolves the new domain to harbor", () -> listVia(other) == 403);

    assertThat(cluster.node(0).api.delete(DOMAIN, adminToken, null).statusCode()).isEqualTo(204);
    Eventually.within(ONE_SECOND, "node 1 forgets the domain", () -> listVia(other) == 200);
  }
}
