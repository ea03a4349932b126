package io.tenantry.admin;

import io.tenantry.support.Await;
import io.tenantry.support.MailedTokens;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Adding users to a tenant: a tenant_admin invites (the invitee consents by accepting), a super-admin adds
 * directly; the answer a tenant_admin gets never tells whether an e-mail has an account.
 */
class TenantUsersTest {
  private static TestServer ts;
  private static String admin;
  private static String boss;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    admin = ts.adminToken();
    boss = ts.tenantWithUser(admin, "alpha", "tenant_admin");
    ts.createTenant(admin, "other");
    ts.addUser(admin, "other", "victim@other.test", "member");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static HttpResponse<Buffer> add(String token, String slug, JsonObject body) {
    return ts.api.post("/admin/v1/tenants/" + slug + "/users", token, body);
  }

  private static JsonObject invite(String email, String role) {
    return new JsonObject().put("email", email).put("role", role);
  }

  private static HttpResponse<Buffer> accept(String token, String password) {
    return ts.api.post("/auth/invitations/accept", null, new JsonObject().put("token", token).put("password", password));
  }

  private static int tokenStatus(String email, String password, String tenant) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (tenant != null) {
      body.put("tenant", tenant);
    }
    return ts.api.post("/auth/token", null, body).statusCode();
  }

  /** The token of the newest invitation e-mail to {@code email}, read from the outbox as a mailer would. */
  private static String mailedToken(String email) {
    return MailedTokens.newest(ts.config, email);
  }

  private static int sql(String statement, String arg) throws SQLException {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement(statement)) {
      st.setString(1, arg);
      return st.executeUpdate();
    }
  }

  @Test
  void aTenantAdminCannotAddAnExistingAccountOfAnotherTenant() {
    HttpResponse<Buffer> r = add(boss, "alpha", invite("victim@other.test", "tenant_admin").put("password", "whatever-password-1"));
    assertThat(r.statusCode()).isNotEqualTo(201);
    assertThat(r.bodyAsString()).doesNotContain("user_id");
    HttpResponse<Buffer> plain = add(boss, "alpha", invite("victim@other.test", "tenant_admin"));
    assertThat(plain.statusCode()).isEqualTo(202);
    assertThat(plain.bodyAsJsonObject().containsKey("user_id")).isFalse();
    // Not a member of alpha with their own password, nor with the one the tenant_admin supplied.
    assertThat(tokenStatus("victim@other.test", "password-of-victim@other.test", "alpha")).isEqualTo(401);
    assertThat(tokenStatus("victim@other.test", "whatever-password-1", "alpha")).isEqualTo(401);
    // Their own tenant still works.
    assertThat(tokenStatus("victim@other.test", "password-of-victim@other.test", "other")).isEqualTo(200);
  }

  @Test
  void theAnswerIsTheSameWhetherOrNotTheEmailHasAnAccount() {
    HttpResponse<Buffer> existing = add(boss, "alpha", invite("victim@other.test", "member"));
    HttpResponse<Buffer> fresh = add(boss, "alpha", invite("nobody-yet@alpha.test", "member"));
    assertThat(existing.statusCode()).isEqualTo(202);
    assertThat(fresh.statusCode()).isEqualTo(202);
    assertThat(existing.bodyAsJsonObject().fieldNames()).isEqualTo(fresh.bodyAsJsonObject().fieldNames());
    assertThat(existing.bodyAsJsonObject().getString("status")).isEqualTo(fresh.bodyAsJsonObject().getString("status"));
    assertThat(Instant.parse(fresh.bodyAsJsonObject().getString("expires_at"))).isAfter(Instant.now());
    // A password is refused alike (the invitee chooses it), and so is a missing password for a new e-mail: no hint.
    HttpResponse<Buffer> withPassword1 = add(boss, "alpha", invite("victim@other.test", "member").put("password", "chosen-by-admin-1"));
    HttpResponse<Buffer> withPassword2 = add(boss, "alpha", invite("nobody-2@alpha.test", "member").put("password", "chosen-by-admin-1"));
    assertThat(assertProblem(withPassword1, 400).getString("detail"))
      .isEqualTo(assertProblem(withPassword2, 400).getString("detail"));
  }

  @Test
  void aNewEmailAcceptsWithAPasswordOfItsChoiceAndGetsTheInvitedRole() throws SQLException {
    HttpResponse<Buffer> invited = add(boss, "alpha", invite("newbie@alpha.test", "read_only"));
    assertThat(invited.statusCode()).isEqualTo(202);
    String token = mailedToken("newbie@alpha.test");
    assertProblem(accept(token, "short"), 400);
    HttpResponse<Buffer> accepted = accept(token, "newbie-chosen-password");
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(201);
    assertThat(accepted.bodyAsJsonObject().getString("role")).isEqualTo("read_only");
    assertThat(accepted.bodyAsJsonObject().getString("email")).isEqualTo("newbie@alpha.test");
    String reader = ts.api.token("newbie@alpha.test", "newbie-chosen-password", "alpha");
    assertThat(ts.api.get("/api/v1/collections/notes/records", reader).statusCode()).isEqualTo(200);
    assertProblem(ts.api.post("/api/v1/collections/notes/records", reader, new JsonObject()), 403);
    // Single use.
    assertProblem(accept(token, "newbie-chosen-password"), 409);
  }

  @Test
  void anExistingAccountConsentsWithItsCurrentPassword() throws SQLException {
    ts.addUser(admin, "other", "carol@other.test", "member");
    assertThat(add(boss, "alpha", invite("carol@other.test", "member")).statusCode()).isEqualTo(202);
    String token = mailedToken("carol@other.test");
    assertProblem(accept(token, "not-carols-password"), 401);
    assertThat(tokenStatus("carol@other.test", "password-of-carol@other.test", "alpha")).isEqualTo(401);
    HttpResponse<Buffer> accepted = accept(token, "password-of-carol@other.test");
    assertThat(accepted.statusCode()).as(accepted.bodyAsString()).isEqualTo(201);
    assertThat(tokenStatus("carol@other.test", "password-of-carol@other.test", "alpha")).isEqualTo(200);
    assertThat(tokenStatus("carol@other.test", "password-of-carol@other.test", "other")).isEqualTo(200);
    // Their password did not change, and the token cannot be used again.
    assertThat(tokenStatus("carol@other.test", "not-carols-password", "other")).isEqualTo(401);
    assertProblem(accept(token, "password-of-carol@other.test"), 409);
  }

  @Test
  void concurrentAcceptsOfOneInvitationJoinOnce() throws SQLException {
    ts.addUser(admin, "other", "erin@other.test", "member");
    assertThat(add(boss, "alpha", invite("erin@other.test", "member")).statusCode()).isEqualTo(202);
    String token = mailedToken("erin@other.test");
    JsonObject body = new JsonObject().put("token", token).put("password", "password-of-erin@other.test");
    List<Future<HttpResponse<Buffer>>> both = List.of(
      ts.http.post("/auth/invitations/accept").sendJsonObject(body),
      ts.http.post("/auth/invitations/accept").sendJsonObject(body));
    Await.result(Future.join(both), 30);
    List<Integer> statuses = both.stream().map(f -> f.result().statusCode()).sorted().toList();
    assertThat(statuses).containsExactly(201, 409);
  }

  @Test
  void anExpiredInvitationIsAClearProblemAndCreatesNothing() throws SQLException {
    assertThat(add(boss, "alpha", invite("late@alpha.test", "member")).statusCode()).isEqualTo(202);
    String token = mailedToken("late@alpha.test");
    assertThat(sql("UPDATE platform.invitations SET expires_at = now() - interval '1 minute' WHERE lower(email) = lower(?)",
      "late@alpha.test")).isEqualTo(1);
    JsonObject problem = assertProblem(accept(token, "late-chosen-password"), 410);
    assertThat(problem.getString("detail")).contains("expired");
    assertThat(tokenStatus("late@alpha.test", "late-chosen-password", null)).isEqualTo(401);
  }

  @Test
  void anUnknownTokenIsRefused() {
    assertProblem(accept("A".repeat(43), "some-long-password"), 404);
  }

  @Test
  void onlyTheHashOfTheTokenIsStored() throws SQLException {
    assertThat(add(boss, "alpha", invite("hashed@alpha.test", "member")).statusCode()).isEqualTo(202);
    String token = mailedToken("hashed@alpha.test");
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement("SELECT i::text FROM platform.invitations i WHERE lower(email) = lower(?)")) {
      st.setString(1, "hashed@alpha.test");
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).doesNotContain(token);
      }
    }
  }

  @Test
  void aSuperAdminStillAddsAnExistingAccountDirectly() {
    ts.addUser(admin, "other", "dave@other.test", "member");
    HttpResponse<Buffer> r = add(admin, "alpha", invite("dave@other.test", "member"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(r.bodyAsJsonObject().getString("user_id")).isNotBlank();
    assertThat(tokenStatus("dave@other.test", "password-of-dave@other.test", "alpha")).isEqualTo(200);
  }

  @Test
  void aSuspendedTenantsAdminCannotAddUsersWithAnOlderToken() {
    String old = ts.tenantWithUser(admin, "sleepy", "tenant_admin");
    assertThat(ts.api.post("/admin/v1/tenants/sleepy/suspend", admin, new JsonObject()).statusCode()).isEqualTo(200);
    try {
      assertProblem(add(old, "sleepy", invite("after-suspension@sleepy.test", "tenant_admin")
        .put("password", "after-suspension-1")), 403);
      assertProblem(add(old, "sleepy", invite("after-suspension@sleepy.test", "tenant_admin")), 403);
      // Reading its own tenant (to see that it is suspended) stays allowed.
      assertThat(ts.api.get("/admin/v1/tenants/sleepy", old).bodyAsJsonObject().getString("status")).isEqualTo("suspended");
      // A super-admin still can.
      assertThat(add(admin, "sleepy", invite("helper@sleepy.test", "member").put("password", "helper-password-1"))
        .statusCode()).isEqualTo(201);
    } finally {
      assertThat(ts.api.post("/admin/v1/tenants/sleepy/resume", admin, new JsonObject()).statusCode()).isEqualTo(200);
    }
    assertThat(add(old, "sleepy", invite("after-resume@sleepy.test", "member")).statusCode()).isEqualTo(202);
  }

  @Test
  void anInvitationToASuspendedTenantCannotBeAcceptedUntilItIsResumed() throws SQLException {
    String old = ts.tenantWithUser(admin, "dozy", "tenant_admin");
    assertThat(add(old, "dozy", invite("pending@dozy.test", "member")).statusCode()).isEqualTo(202);
    String token = mailedToken("pending@dozy.test");
    assertThat(ts.api.post("/admin/v1/tenants/dozy/suspend", admin, new JsonObject()).statusCode()).isEqualTo(200);
    assertProblem(accept(token, "pending-chosen-password"), 403);
    assertThat(ts.api.post("/admin/v1/tenants/dozy/resume", admin, new JsonObject()).statusCode()).isEqualTo(200);
    assertThat(accept(token, "pending-chosen-password").statusCode()).isEqualTo(201);
  }

  @Test
  void aTenantAdminNeverSeesTheDatabaseServer() {
    ts.api.post("/admin/v1/tenants", admin, new JsonObject().put("slug", "vault").put("name", "V").put("isolation", "database"));
    ts.addUser(admin, "vault", "boss@vault.test", "tenant_admin");
    String vaultAdmin = ts.api.token("boss@vault.test", "password-of-boss@vault.test", "vault");
    HttpResponse<Buffer> own = ts.api.get("/admin/v1/tenants/vault", vaultAdmin);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.bodyAsJsonObject().getString("slug")).isEqualTo("vault");
    assertThat(own.bodyAsJsonObject().getString("isolation")).isEqualTo("database");
    assertThat(own.bodyAsString()).doesNotContain("\"host\"").doesNotContain("\"port\"")
      .doesNotContain(ts.config.dbHost()).doesNotContain(":" + ts.config.dbPort());
    JsonObject full = ts.api.get("/admin/v1/tenants/vault", admin).bodyAsJsonObject();
    assertThat(full.getJsonObject("database").getString("host")).isEqualTo(ts.config.dbHost());
    assertThat(full.getJsonObject("database").getInteger("port")).isEqualTo(ts.config.dbPort());
  }
}
