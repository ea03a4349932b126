package io.tenantry.admin;

import io.tenantry.support.MailedTokens;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** /admin/v1/tenants/{slug}/invitations: invite, list with states, revoke; a revoked token is refused. */
class InvitationsApiTest {
  private static TestServer ts;
  private static String admin;
  private static String boss;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("login.address-failures", "100000"));
    admin = ts.adminToken();
    boss = ts.tenantWithUser(admin, "inv-acme", "tenant_admin");
    ts.createTenant(admin, "inv-other");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static HttpResponse<Buffer> invite(String token, String slug, String email, String role) {
    return ts.api.post("/admin/v1/tenants/" + slug + "/invitations", token,
      new JsonObject().put("email", email).put("role", role));
  }

  private static HttpResponse<Buffer> accept(String token, String password) {
    return ts.api.post("/auth/invitations/accept", null, new JsonObject().put("token", token).put("password", password));
  }

  private static JsonArray list(String query) {
    HttpResponse<Buffer> r = ts.api.get("/admin/v1/tenants/inv-acme/invitations" + query, boss);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonArray("items");
  }

  private static String state(String invitationId) {
    return list("").stream().map(JsonObject.class::cast)
      .filter(i -> i.getString("invitation_id").equals(invitationId)).findFirst().orElseThrow().getString("state");
  }

  @Test
  void anInvitationIsPendingThenAcceptedAndCannotBeRevokedAfterwards() {
    HttpResponse<Buffer> sent = invite(boss, "inv-acme", "erin@inv.test", "member");
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    String id = sent.bodyAsJsonObject().getString("invitation_id");
    assertThat(state(id)).isEqualTo("pending");

    assertThat(accept(MailedTokens.newest(ts.config, "erin@inv.test"), "erins-own-long-phrase").statusCode()).isEqualTo(201);
    assertThat(state(id)).isEqualTo("accepted");
    assertThat(ts.api.token("erin@inv.test", "erins-own-long-phrase", "inv-acme")).isNotBlank();
    assertProblem(ts.api.delete("/admin/v1/tenants/inv-acme/invitations/" + id, boss, null), 409);
  }

  @Test
  void aRevokedInvitationsTokenIsRefused() {
    String id = invite(boss, "inv-acme", "frank@inv.test", "read_only").bodyAsJsonObject().getString("invitation_id");
    String token = MailedTokens.newest(ts.config, "frank@inv.test");
    assertThat(ts.api.delete("/admin/v1/tenants/inv-acme/invitations/" + id, boss, null).statusCode()).isEqualTo(204);
    assertThat(state(id)).isEqualTo("revoked");
    assertThat(assertProblem(accept(token, "franks-own-long-phrase"), 410).getString("detail")).contains("withdrawn");
    assertThat(ts.api.post("/auth/token", null, new JsonObject().put("email", "frank@inv.test")
      .put("password", "franks-own-long-phrase")).statusCode()).isEqualTo(401);
    assertProblem(ts.api.delete("/admin/v1/tenants/inv-acme/invitations/" + id, boss, null), 409);
  }

  @Test
  void theListFiltersByStateAndPages() {
    for (String who : List.of("g1", "g2", "g3")) {
      assertThat(invite(boss, "inv-acme", who + "@inv.test", "member").statusCode()).isEqualTo(201);
    }
    JsonArray pending = list("?state=pending");
    assertThat(pending.stream().map(i -> ((JsonObject) i).getString("email")))
      .contains("g1@inv.test", "g2@inv.test", "g3@inv.test");
    assertThat(pending.stream().map(i -> ((JsonObject) i).getString("state"))).containsOnly("pending");

    HttpResponse<Buffer> first = ts.api.get("/admin/v1/tenants/inv-acme/invitations?limit=1", boss);
    String cursor = first.bodyAsJsonObject().getString("next_cursor");
    assertThat(cursor).isNotNull();
    HttpResponse<Buffer> second = ts.api.get("/admin/v1/tenants/inv-acme/invitations?limit=1&cursor=" + cursor, boss);
    assertThat(second.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("invitation_id"))
      .isNotEqualTo(first.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("invitation_id"));
    assertProblem(ts.api.get("/admin/v1/tenants/inv-acme/invitations?state=lost", boss), 400);
  }

  @Test
  void aSuperAdminInvitesTooAndTheInviteeStillConsents() {
    HttpResponse<Buffer> sent = invite(admin, "inv-other", "gina@inv.test", "tenant_admin");
    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(201);
    assertThat(ts.api.post("/auth/token", null, new JsonObject().put("email", "gina@inv.test")
      .put("password", "ginas-own-long-phrase")).statusCode()).isEqualTo(401);
    assertThat(accept(MailedTokens.newest(ts.config, "gina@inv.test"), "ginas-own-long-phrase").statusCode()).isEqualTo(201);
  }

  @Test
  void onlyWhoManagesTheTenantsMembersMayInviteListOrRevoke() {
    String id = invite(boss, "inv-acme", "hank@inv.test", "member").bodyAsJsonObject().getString("invitation_id");
    String member = ts.tenantWithUser(admin, "inv-members", "member");
    String otherBoss = ts.tenantWithUser(admin, "inv-rival", "tenant_admin");
    for (String token : List.of(member, otherBoss)) {
      assertProblem(invite(token, "inv-acme", "x@inv.test", "member"), 403);
      assertProblem(ts.api.get("/admin/v1/tenants/inv-acme/invitations", token), 403);
      assertProblem(ts.api.delete("/admin/v1/tenants/inv-acme/invitations/" + id, token, null), 403);
    }
    // another tenant's admin cannot revoke acme's invitation through its own tenant either
    assertProblem(ts.api.delete("/admin/v1/tenants/inv-rival/invitations/" + id, otherBoss, null), 404);
    assertThat(state(id)).isEqualTo("pending");
    assertProblem(invite(null, "inv-acme", "x@inv.test", "member"), 401);
    assertProblem(ts.api.delete("/admin/v1/tenants/inv-acme/invitations/" + UUID.randomUUID(), boss, null), 404);
    assertProblem(ts.api.delete("/admin/v1/tenants/inv-acme/invitations/not-an-id", boss, null), 404);
    assertProblem(invite(boss, "inv-acme", "x@inv.test", "owner"), 400);
    assertProblem(ts.api.post("/admin/v1/tenants/inv-acme/invitations", boss,
      new JsonObject().put("email", "x@inv.test").put("role", "member").put("password", "sneaky-password-1")), 400);
  }
}
