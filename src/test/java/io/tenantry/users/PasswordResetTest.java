package io.tenantry.users;

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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password resets (no enumeration, single use, expiry, throttled) and the password policy on every way a password
 * is set over the API.
 */
class PasswordResetTest {
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([A-Za-z0-9_-]{20,})\"");
  private static TestServer ts;
  private static String admin;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("login.address-failures", "100000"));
    admin = ts.adminToken();
    ts.createTenant(admin, "acme");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static HttpResponse<Buffer> request(String email) {
    return ts.api.post("/auth/password-reset", null, new JsonObject().put("email", email));
  }

  private static HttpResponse<Buffer> confirm(String token, String password) {
    return ts.api.post("/auth/password-reset/confirm", null, new JsonObject().put("token", token).put("password", password));
  }

  private static int signIn(String email, String password) {
    return ts.api.post("/auth/token", null, new JsonObject().put("email", email).put("password", password)).statusCode();
  }

  private static int count(String sql, String email) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser()); PreparedStatement st = c.prepareStatement(sql)) {
      st.setString(1, email);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int mails(String email) {
    return count("SELECT count(*) FROM platform.outbox WHERE kind = 'password_reset' AND lower(recipient) = lower(?)", email);
  }

  private static String awaitToken(String email, int mailsBefore) {
    Eventually.within(Duration.ofSeconds(10), "a reset e-mail to " + email, () -> mails(email) > mailsBefore);
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement("SELECT body FROM platform.outbox WHERE kind = 'password_reset' "
           + "AND lower(recipient) = lower(?) ORDER BY created_at DESC, id DESC LIMIT 1")) {
      st.setString(1, email);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        Matcher m = TOKEN.matcher(rs.getString(1));
        assertThat(m.find()).isTrue();
        return m.group(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void knownAndUnknownEmailsGetTheSameAnswerAndOnlyTheKnownAMail() {
    ts.addUser(admin, "acme", "known@acme.test", "member");
    HttpResponse<Buffer> known = request("known@acme.test");
    HttpResponse<Buffer> unknown = request("unknown@acme.test");
    assertThat(known.statusCode()).isEqualTo(unknown.statusCode()).isEqualTo(202);
    assertThat(known.bodyAsString()).isEqualTo(unknown.bodyAsString());
    awaitToken("known@acme.test", 0);
    // The unknown one was handled before the known one finished: nothing was written for it.
    request("known@acme.test");
    Eventually.within(Duration.ofSeconds(10), "the second mail", () -> mails("known@acme.test") == 2);
    assertThat(mails("unknown@acme.test")).isZero();
    assertThat(count("SELECT count(*) FROM platform.password_resets r JOIN platform.users u ON u.id = r.user_id "
      + "WHERE lower(u.email) = lower(?) AND length(r.token_hash) = 32", "known@acme.test")).isEqualTo(2);
  }

  @Test
  void aTokenSetsThePasswordOnce() {
    ts.addUser(admin, "acme", "forgetful@acme.test", "member");
    request("forgetful@acme.test");
    String token = awaitToken("forgetful@acme.test", 0);
    assertThat(count("SELECT count(*) FROM platform.outbox WHERE body LIKE '%' || ? || '%'", token)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM platform.password_resets WHERE encode(token_hash, 'escape') LIKE '%' || ? || '%'",
      token)).isZero();
    HttpResponse<Buffer> done = confirm(token, "a-brand-new-passphrase");
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(204);
    assertThat(signIn("forgetful@acme.test", "a-brand-new-passphrase")).isEqualTo(200);
    assertThat(signIn("forgetful@acme.test", "password-of-forgetful@acme.test")).isEqualTo(401);
    assertProblem(confirm(token, "another-new-passphrase"), 409);
    assertThat(signIn("forgetful@acme.test", "another-new-passphrase")).isEqualTo(401);
  }

  @Test
  void usingOneTokenVoidsTheAccountsOtherPendingOnes() {
    ts.addUser(admin, "acme", "twice@acme.test", "member");
    request("twice@acme.test");
    String first = awaitToken("twice@acme.test", 0);
    request("twice@acme.test");
    String second = awaitToken("twice@acme.test", 1);
    assertThat(confirm(second, "the-second-passphrase").statusCode()).isEqualTo(204);
    assertProblem(confirm(first, "the-first-passphrase"), 409);
    assertThat(signIn("twice@acme.test", "the-second-passphrase")).isEqualTo(200);
  }

  @Test
  void anExpiredTokenIsGoneAndAnUnknownOneNotFound() throws SQLException {
    ts.addUser(admin, "acme", "late@acme.test", "member");
    request("late@acme.test");
    String token = awaitToken("late@acme.test", 0);
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement("UPDATE platform.password_resets SET expires_at = now() - interval '1 second' "
           + "WHERE user_id = (SELECT id FROM platform.users WHERE email = ?)")) {
      st.setString(1, "late@acme.test");
      assertThat(st.executeUpdate()).isEqualTo(1);
    }
    assertThat(assertProblem(confirm(token, "a-late-passphrase-1"), 410).getString("detail")).contains("expired");
    assertThat(signIn("late@acme.test", "password-of-late@acme.test")).isEqualTo(200);
    assertProblem(confirm("A".repeat(43), "a-late-passphrase-1"), 404);
  }

  @Test
  void theNewPasswordMustPassThePolicyAndIsNeverEchoed() {
    ts.addUser(admin, "acme", "weak@acme.test", "member");
    request("weak@acme.test");
    String token = awaitToken("weak@acme.test", 0);
    JsonObject shortOne = assertProblem(confirm(token, "tiny-pw"), 400);
    assertThat(shortOne.getString("detail")).contains("12 characters");
    assertThat(shortOne.encode()).doesNotContain("tiny-pw");
    JsonObject common = assertProblem(confirm(token, "1qaz2wsx3edc"), 400);
    assertThat(common.getString("detail")).contains("common");
    assertThat(common.encode()).doesNotContain("1qaz2wsx3edc");
    // A refusal does not use the token up.
    assertThat(confirm(token, "strong-enough-phrase").statusCode()).isEqualTo(204);
  }

  @Test
  void requestsAreThrottledPerEmailSoTheOutboxCannotBeFlooded() {
    ts.addUser(admin, "acme", "flooded@acme.test", "member");
    for (int i = 0; i < 30; i++) {
      assertThat(request("flooded@acme.test").statusCode()).isEqualTo(202);
    }
    Eventually.within(Duration.ofSeconds(10), "the first mails", () -> mails("flooded@acme.test") >= 1);
    // login.account-failures (5) requests pass before the back-off starts; a few more may pass as it expires.
    assertThat(mails("flooded@acme.test")).isBetween(1, 8);
  }

  @Test
  void thePolicyHoldsForEveryWayAPasswordIsSet() {
    JsonObject body = new JsonObject().put("email", "new@acme.test").put("role", "member").put("password", "qwertyuiop123");
    JsonObject refused = assertProblem(ts.api.post("/admin/v1/tenants/acme/users", admin, body), 400);
    assertThat(refused.getString("detail")).contains("common").doesNotContain("qwertyuiop123");
    assertThat(ts.api.post("/admin/v1/tenants/acme/users", admin, body.put("password", "an-unusual-passphrase"))
      .statusCode()).isEqualTo(201);
    // an invitation accepted with a new account's password
    String boss = ts.tenantWithUser(admin, "inviter", "tenant_admin");
    assertThat(ts.api.post("/admin/v1/tenants/inviter/users", boss,
      new JsonObject().put("email", "invitee@acme.test").put("role", "member")).statusCode()).isEqualTo(202);
    String invitation;
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement("SELECT body FROM platform.outbox WHERE kind = 'invitation' AND recipient = ?")) {
      st.setString(1, "invitee@acme.test");
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        Matcher m = TOKEN.matcher(rs.getString(1));
        assertThat(m.find()).isTrue();
        invitation = m.group(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    HttpResponse<Buffer> weak = ts.api.post("/auth/invitations/accept", null,
      new JsonObject().put("token", invitation).put("password", "Password1234"));
    assertThat(assertProblem(weak, 400).getString("detail")).contains("common");
    assertThat(ts.api.post("/auth/invitations/accept", null,
      new JsonObject().put("token", invitation).put("password", "an-invitees-own-phrase")).statusCode()).isEqualTo(201);
  }

  @Test
  void bothRoutesArePublicAndAnyTokenMayCallThem() {
    String member = ts.tenantWithUser(admin, "public-check", "member");
    assertThat(ts.api.post("/auth/password-reset", member, new JsonObject().put("email", "x@acme.test")).statusCode())
      .isEqualTo(202);
    assertThat(ts.api.post("/auth/password-reset", admin, new JsonObject().put("email", "x@acme.test")).statusCode())
      .isEqualTo(202);
    assertProblem(ts.api.post("/auth/password-reset/confirm", member,
      new JsonObject().put("token", "B".repeat(43)).put("password", "whatever-long-phrase")), 404);
    assertProblem(ts.api.post("/auth/password-reset", null, new JsonObject().put("mail", "x@acme.test")), 400);
  }
}
