package io.tenantry.sessions;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Refresh tokens, rotation, reuse detection, expiry, logout and a super-admin's revocation, on one node. */
class SessionsTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static final String MEMBER = "member@sess-a.test";
  private static final String MEMBER_PASSWORD = "password-of-" + MEMBER;

  private static TestServer ts;
  private static String superAdmin;
  private static String adminA;
  private static String adminB;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    superAdmin = ts.adminToken();
    adminA = ts.tenantWithUser(superAdmin, "sess-a", "tenant_admin");
    adminB = ts.tenantWithUser(superAdmin, "sess-b", "tenant_admin");
    ts.addUser(superAdmin, "sess-a", MEMBER, "member");
    assertThat(ts.api.post(NOTES, adminA, new JsonObject().put("owner", "a")).statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    if (ts != null) {
      ts.close();
    }
  }

  private static JsonObject signIn(String email, String password, String tenant) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (tenant != null) {
      body.put("tenant", tenant);
    }
    HttpResponse<Buffer> r = ts.api.post("/auth/token", null, body);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  private static JsonObject signInMember() {
    return signIn(MEMBER, MEMBER_PASSWORD, "sess-a");
  }

  private static HttpResponse<Buffer> refresh(String refreshToken) {
    return ts.api.post("/auth/token", null,
      new JsonObject().put("grant_type", "refresh_token").put("refresh_token", refreshToken));
  }

  private static int notes(String accessToken) {
    return ts.api.get(NOTES, accessToken).statusCode();
  }

  private static String userId(String accessToken) {
    HttpResponse<Buffer> me = ts.api.get("/auth/me", accessToken);
    assertThat(me.statusCode()).isEqualTo(200);
    return me.bodyAsJsonObject().getString("user_id");
  }

  @Test
  void theRefreshGrantRotatesAndSpendsTheOldToken() {
    JsonObject first = signInMember();
    String refresh1 = first.getString("refresh_token");
    assertThat(refresh1).startsWith("rt_").hasSize(46);

    HttpResponse<Buffer> r = refresh(refresh1);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject second = r.bodyAsJsonObject();
    assertThat(second.getString("refresh_token")).startsWith("rt_").isNotEqualTo(refresh1);
    assertThat(second.getString("access_token")).isNotEqualTo(first.getString("access_token"));
    HttpResponse<Buffer> list = ts.api.get(NOTES, second.getString("access_token"));
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.bodyAsString()).contains("\"owner\":\"a\"");
    assertThat(refresh(second.getString("refresh_token")).statusCode()).isEqualTo(200);
  }

  @Test
  void reusingASpentRefreshTokenRevokesTheWholeFamily() {
    String stolen = signInMember().getString("refresh_token");
    JsonObject legit = refresh(stolen).bodyAsJsonObject();
    assertThat(notes(legit.getString("access_token"))).isEqualTo(200);

    assertProblem(refresh(stolen), 401);

    assertProblem(refresh(legit.getString("refresh_token")), 401);
    assertThat(notes(legit.getString("access_token"))).isEqualTo(401);
    JsonObject other = signInMember();
    assertThat(notes(other.getString("access_token"))).as("another sign-in is another family").isEqualTo(200);
    assertThat(refresh(other.getString("refresh_token")).statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredRefreshTokenIsRefused() throws Exception {
    String refreshToken = signInMember().getString("refresh_token");
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE platform.refresh_tokens SET expires_at = now() - interval '1 second' "
        + "WHERE spent_at IS NULL AND revoked_at IS NULL AND created_at > now() - interval '1 minute' "
        + "AND user_id = (SELECT id FROM platform.users WHERE email = '" + MEMBER + "')");
    }
    assertProblem(refresh(refreshToken), 401);
  }

  @Test
  void garbageAndMisusedRefreshRequestsAreRefused() {
    assertProblem(refresh("rt_not-a-token"), 401);
    String refreshToken = signInMember().getString("refresh_token");
    assertProblem(ts.api.post("/auth/token", null, new JsonObject().put("grant_type", "refresh_token")), 400);
    assertThat(refresh(refreshToken).statusCode()).isEqualTo(200);
  }

  @Test
  void aRefreshTokenOfTenantAsUserCannotMintATokenForTenantB() {
    JsonObject a = signIn("tenant_admin@sess-a.test", "password-of-tenant_admin@sess-a.test", "sess-a");
    HttpResponse<Buffer> forB = ts.api.post("/auth/token", null, new JsonObject().put("grant_type", "refresh_token")
      .put("refresh_token", a.getString("refresh_token")).put("tenant", "sess-b"));
    assertThat(assertProblem(forB, 400).getString("detail")).contains("sign in again");

    JsonObject renewed = refresh(a.getString("refresh_token")).bodyAsJsonObject();
    String token = renewed.getString("access_token");
    assertThat(ts.api.getNaming(NOTES, token, "sess-b", null).statusCode()).isEqualTo(403);
    assertThat(ts.api.get(NOTES, token).statusCode()).isEqualTo(200);
  }

  @Test
  void logoutRefusesTheAccessTokenAndTheRefreshToken() {
    JsonObject session = signInMember();
    String access = session.getString("access_token");
    assertThat(notes(access)).isEqualTo(200);

    assertThat(ts.api.post("/auth/logout", access, new JsonObject()).statusCode()).isEqualTo(204);

    assertThat(notes(access)).isEqualTo(401);
    assertProblem(ts.api.get("/auth/me", access), 401);
    assertProblem(refresh(session.getString("refresh_token")), 401);
    assertThat(notes(signInMember().getString("access_token"))).isEqualTo(200);
  }

  @Test
  void logoutNeedsAToken() {
    assertProblem(ts.api.post("/auth/logout", null, new JsonObject()), 401);
  }

  @Test
  void aSuperAdminRevokesEverySessionOfAUser() {
    String email = "victim@sess-a.test";
    ts.addUser(superAdmin, "sess-a", email, "member");
    JsonObject one = signIn(email, "password-of-" + email, "sess-a");
    JsonObject two = signIn(email, "password-of-" + email, "sess-a");
    String user = userId(one.getString("access_token"));

    HttpResponse<Buffer> r = ts.api.post("/admin/v1/users/" + user + "/sessions/revoke", superAdmin, new JsonObject());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(204);

    assertThat(notes(one.getString("access_token"))).isEqualTo(401);
    assertThat(notes(two.getString("access_token"))).isEqualTo(401);
    assertProblem(refresh(one.getString("refresh_token")), 401);
    assertProblem(refresh(two.getString("refresh_token")), 401);
    assertThat(notes(signInMember().getString("access_token"))).as("other users keep their sessions").isEqualTo(200);
    // A token issued in the second of the revocation is refused too; one issued afterwards is served.
    Eventually.within(Duration.ofSeconds(5), "a new sign-in after the revocation is served",
      () -> notes(signIn(email, "password-of-" + email, "sess-a").getString("access_token")) == 200);
  }

  @Test
  void onlyASuperAdminRevokesAUsersSessions() {
    String email = "target@sess-a.test";
    ts.addUser(superAdmin, "sess-a", email, "member");
    JsonObject target = signIn(email, "password-of-" + email, "sess-a");
    String user = userId(target.getString("access_token"));
    String path = "/admin/v1/users/" + user + "/sessions/revoke";
    String member = signInMember().getString("access_token");

    assertProblem(ts.api.post(path, null, new JsonObject()), 401);
    assertProblem(ts.api.post(path, member, new JsonObject()), 403);
    assertProblem(ts.api.post(path, adminA, new JsonObject()), 403);
    JsonObject refused = assertProblem(ts.api.post(path, adminB, new JsonObject()), 403);
    assertThat(refused.encode()).doesNotContain(email).doesNotContain("sess-a");
    assertThat(notes(target.getString("access_token"))).as("refusals revoke nothing").isEqualTo(200);
    assertThat(refresh(target.getString("refresh_token")).statusCode()).isEqualTo(200);

    assertProblem(ts.api.post("/admin/v1/users/" + java.util.UUID.randomUUID() + "/sessions/revoke", superAdmin,
      new JsonObject()), 404);
    assertThat(ts.api.post(path, superAdmin, new JsonObject()).statusCode()).isEqualTo(204);
    assertThat(notes(target.getString("access_token"))).isEqualTo(401);
  }
}
