package io.tenantry.admin;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /admin/v1/tenants/{slug}/users/{id}/impersonate: a super-admin gets a short-lived token acting as a member
 * (its role, its tenant, an act claim naming the super-admin); nobody else can; the token can neither impersonate
 * again nor act as a super-admin; a tenant can forbid it; logout revokes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImpersonationTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private TestServer ts;
  private String root;
  private String rootId;
  private String adminOfA;
  private String memberOfA;
  private String adminOfB;

  @BeforeAll
  void start() {
    ts = TestServer.start();
    root = ts.adminToken();
    rootId = ts.api.get("/auth/me", root).bodyAsJsonObject().getString("user_id");
    adminOfA = ts.tenantWithUser(root, "imp-a", "tenant_admin");
    ts.addUser(root, "imp-a", "member@imp-a.test", "member");
    memberOfA = ts.api.token("member@imp-a.test", "password-of-member@imp-a.test", "imp-a");
    adminOfB = ts.tenantWithUser(root, "imp-b", "tenant_admin");
  }

  @AfterAll
  void stop() {
    ts.close();
  }

  private String userId(String slug, String email) {
    JsonArray members = ts.api.get("/admin/v1/tenants/" + slug + "/users", root).bodyAsJsonObject().getJsonArray("items");
    for (int i = 0; i < members.size(); i++) {
      if (members.getJsonObject(i).getString("email").equals(email)) {
        return members.getJsonObject(i).getString("user_id");
      }
    }
    throw new AssertionError(email + " is no member of " + slug);
  }

  private HttpResponse<Buffer> impersonate(String slug, String userId, String token) {
    return ts.api.post("/admin/v1/tenants/" + slug + "/users/" + userId + "/impersonate", token, null);
  }

  private String impersonating(String slug, String email) {
    HttpResponse<Buffer> r = impersonate(slug, userId(slug, email), root);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getString("access_token");
  }

  private static JsonObject claims(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  @Test
  void aSuperAdminActsAsAMemberWithItsRoleAndIsNamedInAct() {
    String memberId = userId("imp-a", "member@imp-a.test");
    HttpResponse<Buffer> r = impersonate("imp-a", memberId, root);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject answer = r.bodyAsJsonObject();
    assertThat(answer.getString("role")).isEqualTo("member");
    assertThat(answer.getInteger("expires_in")).isEqualTo(900);
    String token = answer.getString("access_token");
    JsonObject claims = claims(token);
    assertThat(claims.getString("sub")).isEqualTo(memberId);
    assertThat(claims.getJsonObject("act")).isEqualTo(new JsonObject().put("sub", rootId));
    assertThat(claims.getJsonArray("roles")).containsExactly("member");

    HttpResponse<Buffer> created = ts.api.post(NOTES, token, new JsonObject().put("by", "impersonation"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(ts.api.get(NOTES + "/" + created.bodyAsJsonObject().getString("id"), memberOfA).statusCode()).isEqualTo(200);
    JsonObject me = ts.api.get("/auth/me", token).bodyAsJsonObject();
    assertThat(me.getString("user_id")).isEqualTo(memberId);
    assertThat(me.getString("impersonator")).isEqualTo(rootId);
    assertThat(ts.api.get("/auth/me", memberOfA).bodyAsJsonObject().getValue("impersonator")).isNull();
    // the member's tenant only
    assertProblem(ts.api.getNaming(NOTES, token, "imp-b", null), 403);
  }

  @Test
  void anImpersonationTokenCannotImpersonateAgainNorActAsASuperAdmin() {
    // the super-admin itself, made a tenant_admin of A, impersonated: the token is A's tenant_admin, no more
    ts.addUser(root, "imp-a", TestServer.ADMIN_EMAIL, "tenant_admin");
    String asRoot = impersonating("imp-a", TestServer.ADMIN_EMAIL);
    assertThat(claims(asRoot).getJsonArray("roles")).containsExactly("tenant_admin");
    assertThat(ts.api.get("/admin/v1/tenants/imp-a", asRoot).statusCode()).isEqualTo(200);
    assertProblem(ts.api.get("/admin/v1/tenants", asRoot), 403);
    assertProblem(ts.api.get("/admin/v1/pools", asRoot), 403);
    assertProblem(ts.api.get("/admin/v1/tenants/imp-b", asRoot), 403);
    assertProblem(impersonate("imp-a", userId("imp-a", "member@imp-a.test"), asRoot), 403);
    assertProblem(impersonate("imp-b", userId("imp-b", "tenant_admin@imp-b.test"), asRoot), 403);
  }

  @Test
  void onlyASuperAdminMayImpersonate() {
    String memberId = userId("imp-a", "member@imp-a.test");
    assertProblem(impersonate("imp-a", memberId, null), 401);
    assertProblem(impersonate("imp-a", memberId, adminOfA), 403);
    assertProblem(impersonate("imp-a", memberId, memberOfA), 403);
    assertProblem(impersonate("imp-a", memberId, adminOfB), 403);
    HttpResponse<Buffer> key = ts.api.post("/admin/v1/tenants/imp-a/api-keys", adminOfA,
      new JsonObject().put("name", "k").put("scopes", new JsonArray().add("admin")));
    assertThat(key.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> byKey = ts.api.send(ts.api.request(io.vertx.core.http.HttpMethod.POST,
        "/admin/v1/tenants/imp-a/users/" + memberId + "/impersonate", null)
      .putHeader("Authorization", "ApiKey " + key.bodyAsJsonObject().getString("secret")));
    assertProblem(byKey, 403);
  }

  @Test
  void unknownTenantsAndNonMembersAre404() {
    String memberId = userId("imp-a", "member@imp-a.test");
    assertProblem(impersonate("no-such-tenant", memberId, root), 404);
    assertProblem(impersonate("imp-b", memberId, root), 404);
    assertProblem(impersonate("imp-a", UUID.randomUUID().toString(), root), 404);
    assertProblem(impersonate("imp-a", "not-a-uuid", root), 404);
  }

  @Test
  void aTenantCanForbidImpersonation() {
    ts.tenantWithUser(root, "imp-closed", "member");
    String memberId = userId("imp-closed", "member@imp-closed.test");
    HttpResponse<Buffer> set = ts.api.put("/admin/v1/tenants/imp-closed/config/security.allow_impersonation", root,
      new JsonObject().put("value", false), null);
    assertThat(set.statusCode()).as(set.bodyAsString()).isBetween(200, 204);
    JsonObject refused = assertProblem(impersonate("imp-closed", memberId, root), 403);
    assertThat(refused.getString("detail")).contains("forbids impersonation");
    ts.api.put("/admin/v1/tenants/imp-closed/config/security.allow_impersonation", root,
      new JsonObject().put("value", true), null);
    assertThat(impersonate("imp-closed", memberId, root).statusCode()).isEqualTo(200);
  }

  @Test
  void logoutRevokesAnImpersonationToken() {
    String token = impersonating("imp-a", "member@imp-a.test");
    assertThat(ts.api.get(NOTES, token).statusCode()).isEqualTo(200);
    assertThat(ts.api.post("/auth/logout", token, null).statusCode()).isEqualTo(204);
    assertProblem(ts.api.get(NOTES, token), 401);
  }
}
