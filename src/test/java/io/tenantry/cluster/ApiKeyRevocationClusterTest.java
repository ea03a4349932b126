package io.tenantry.cluster;

import io.tenantry.support.TestServer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clustered nodes: a key both have verified (and cached) is refused by both within a second of its revocation
 * through one of them; another key of the tenant keeps working on both.
 */
class ApiKeyRevocationClusterTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestCluster cluster;
  private static String tenantAdmin;

  @BeforeAll
  static void startTwoNodes() {
    cluster = TestCluster.of(2);
    TestNode first = cluster.node(0);
    String superAdmin = first.api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null);
    assertThat(first.api.post("/admin/v1/tenants", superAdmin, new JsonObject().put("slug", "keyed").put("name", "k"))
      .statusCode()).isEqualTo(201);
    assertThat(first.api.post("/admin/v1/tenants/keyed/users", superAdmin, new JsonObject()
      .put("email", "admin@keyed.test").put("password", "password-of-admin@keyed.test").put("role", "tenant_admin"))
      .statusCode()).isEqualTo(201);
    tenantAdmin = first.api.token("admin@keyed.test", "password-of-admin@keyed.test", "keyed");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JsonObject key(TestNode via) {
    var r = via.api.post("/admin/v1/tenants/keyed/api-keys", tenantAdmin,
      new JsonObject().put("name", "ci").put("scopes", new JsonArray().add("records:read")));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private static int read(TestNode node, String key) {
    return node.api.send(node.api.request(HttpMethod.GET, NOTES, null).putHeader("Authorization", "ApiKey " + key))
      .statusCode();
  }

  @Test
  void aKeyRevokedThroughOneNodeIsRefusedByBothWithinOneSecond() {
    JsonObject revoked = key(cluster.node(0));
    String other = key(cluster.node(1)).getString("secret");
    String secret = revoked.getString("secret");
    for (int i = 0; i < 2; i++) {
      assertThat(read(cluster.node(i), secret)).isEqualTo(200);
      assertThat(read(cluster.node(i), other)).isEqualTo(200);
    }

    assertThat(cluster.node(0).api.delete("/admin/v1/tenants/keyed/api-keys/" + revoked.getString("id"), tenantAdmin, null)
      .statusCode()).isEqualTo(204);
    Eventually.within(Duration.ofSeconds(1), "node 1 refuses the revoked key", () -> read(cluster.node(0), secret) == 401);
    Eventually.within(Duration.ofSeconds(1), "node 2 refuses the revoked key", () -> read(cluster.node(1), secret) == 401);
    for (int i = 0; i < 2; i++) {
      assertThat(read(cluster.node(i), other)).isEqualTo(200);
    }
  }
}
