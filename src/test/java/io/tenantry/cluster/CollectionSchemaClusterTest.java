package io.tenantry.cluster;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clustered nodes: a collection schema declared, replaced or deleted through node 0 is in force on node 1,
 * which had the tenant (and the previous schema) cached, within 1 s.
 */
class CollectionSchemaClusterTest {
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  private static final String PETS = "/api/v1/collections/pets/records";
  private static final String SCHEMA = "/admin/v1/tenants/kennel/collections/pets";

  private static TestCluster cluster;
  private static String adminToken;
  private static String memberToken;

  @BeforeAll
  static void startTwoNodes() {
    cluster = TestCluster.of(2);
    TestNode via = cluster.node(0);
    adminToken = via.api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null);
    assertThat(via.api.post("/admin/v1/tenants", adminToken, new JsonObject().put("slug", "kennel").put("name", "kennel"))
      .statusCode()).isEqualTo(201);
    assertThat(via.api.post("/admin/v1/tenants/kennel/users", adminToken, new JsonObject()
      .put("email", "member@kennel.test").put("password", "password-of-member@kennel.test").put("role", "member"))
      .statusCode()).isEqualTo(201);
    memberToken = via.api.token("member@kennel.test", "password-of-member@kennel.test", "kennel");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static int write(TestNode node, JsonObject data) {
    return node.api.post(PETS, memberToken, data).statusCode();
  }

  private static JsonObject requiring(String field) {
    return new JsonObject().put("type", "object").put("required", new JsonArray().add(field));
  }

  @Test
  void aChangeThroughOneNodeIsInForceOnTheOtherWithinOneSecond() {
    TestNode other = cluster.node(1);
    assertThat(write(other, new JsonObject().put("name", "rex"))).as("tenant cached on node 1").isEqualTo(201);

    assertThat(cluster.node(0).api.put(SCHEMA, adminToken, new JsonObject().put("schema", requiring("name")), null)
      .statusCode()).isEqualTo(201);
    Eventually.within(ONE_SECOND, "node 1 checks the new schema",
      () -> write(other, new JsonObject().put("nickname", "x")) == 422);
    assertThat(write(other, new JsonObject().put("name", "fido"))).isEqualTo(201);

    assertThat(cluster.node(0).api.put(SCHEMA + "?force=true", adminToken, new JsonObject().put("schema", requiring("breed")), null)
      .statusCode()).isEqualTo(200);
    Eventually.within(ONE_SECOND, "node 1 checks the replaced schema",
      () -> write(other, new JsonObject().put("name", "no breed")) == 422);
    assertThat(write(other, new JsonObject().put("breed", "collie"))).isEqualTo(201);

    assertThat(cluster.node(0).api.delete(SCHEMA, adminToken, null).statusCode()).isEqualTo(204);
    Eventually.within(ONE_SECOND, "node 1 stops checking",
      () -> write(other, new JsonObject().put("anything", 1)) == 201);
  }
}
