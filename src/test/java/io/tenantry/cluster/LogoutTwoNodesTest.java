package io.tenantry.cluster;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Revocations reach the other node of a cluster within 1 s, even for a token that node has cached. */
class LogoutTwoNodesTest {
  private static final String RECORDS = "/api/v1/collections/notes/records";

  private static TestCluster cluster;
  private static String adminToken;

  @BeforeAll
  static void startCluster() {
    cluster = TestCluster.of(2);
    adminToken = cluster.node(0).api.token(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD, null);
    assertThat(cluster.node(0).api.post("/admin/v1/tenants", adminToken,
      new JsonObject().put("slug", "logout").put("name", "logout")).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JsonObject signIn(String email) {
    HttpResponse<Buffer> r = cluster.node(0).api.post("/auth/token", null, new JsonObject()
      .put("email", email).put("password", "password-of-" + email).put("tenant", "logout"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static void addMember(String email) {
    assertThat(cluster.node(0).api.post("/admin/v1/tenants/logout/users", adminToken,
      new JsonObject().put("email", email).put("password", "password-of-" + email).put("role", "member"))
      .statusCode()).isEqualTo(201);
  }

  @Test
  void aLogoutOnOneNodeIsInForceOnTheOtherWithinOneSecond() {
    addMember("out@logout.test");
    String access = signIn("out@logout.test").getString("access_token");
    // Served (and so cached) by both nodes first.
    assertThat(cluster.node(0).api.get(RECORDS, access).statusCode()).isEqualTo(200);
    assertThat(cluster.node(1).api.get(RECORDS, access).statusCode()).isEqualTo(200);

    assertThat(cluster.node(0).api.post("/auth/logout", access, new JsonObject()).statusCode()).isEqualTo(204);

    assertThat(cluster.node(0).api.get(RECORDS, access).statusCode()).isEqualTo(401);
    Duration took = Eventually.within(Duration.ofSeconds(1), "node 2 refuses the logged-out token",
      () -> cluster.node(1).api.get(RECORDS, access).statusCode() == 401);
    assertThat(took).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aReusedRefreshTokenRevokesTheFamilysAccessTokensOnTheOtherNode() {
    addMember("reuse@logout.test");
    String stolen = signIn("reuse@logout.test").getString("refresh_token");
    HttpResponse<Buffer> rotated = cluster.node(0).api.post("/auth/token", null,
      new JsonObject().put("grant_type", "refresh_token").put("refresh_token", stolen));
    String access = rotated.bodyAsJsonObject().getString("access_token");
    assertThat(cluster.node(1).api.get(RECORDS, access).statusCode()).isEqualTo(200);

    assertThat(cluster.node(0).api.post("/auth/token", null,
      new JsonObject().put("grant_type", "refresh_token").put("refresh_token", stolen)).statusCode()).isEqualTo(401);

    Eventually.within(Duration.ofSeconds(1), "node 2 refuses the family's access token",
      () -> cluster.node(1).api.get(RECORDS, access).statusCode() == 401);
  }

  @Test
  void aSuperAdminsRevocationIsInForceOnTheOtherNodeWithinOneSecond() {
    addMember("all@logout.test");
    addMember("stay@logout.test");
    String access = signIn("all@logout.test").getString("access_token");
    String other = signIn("stay@logout.test").getString("access_token");
    assertThat(cluster.node(1).api.get(RECORDS, access).statusCode()).isEqualTo(200);
    String user = cluster.node(1).api.get("/auth/me", access).bodyAsJsonObject().getString("user_id");

    assertThat(cluster.node(0).api.post("/admin/v1/users/" + user + "/sessions/revoke", adminToken, new JsonObject())
      .statusCode()).isEqualTo(204);

    Eventually.within(Duration.ofSeconds(1), "node 2 refuses the user's earlier token",
      () -> cluster.node(1).api.get(RECORDS, access).statusCode() == 401);
    assertThat(cluster.node(1).api.get(RECORDS, other).statusCode()).as("other users are served").isEqualTo(200);
  }
}
