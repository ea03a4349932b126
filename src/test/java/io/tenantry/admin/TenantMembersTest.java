package io.tenantry.admin;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A tenant's members: list with paging and filters, role changes, removals, and the last tenant_admin kept. */
class TenantMembersTest {
  private static TestServer ts;
  private static String admin;
  private static String boss;
  private static String member;
  private static String otherBoss;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("login.address-failures", "100000"));
    admin = ts.adminToken();
    boss = ts.tenantWithUser(admin, "team", "tenant_admin");
    for (int i = 0; i < 7; i++) {
      ts.addUser(admin, "team", "dev" + i + "@team.test", i < 2 ? "read_only" : "member");
    }
    ts.addUser(admin, "team", "zed@elsewhere.test", "member");
    member = ts.api.token("dev3@team.test", "password-of-dev3@team.test", "team");
    otherBoss = ts.tenantWithUser(admin, "rival", "tenant_admin");
    ts.addUser(admin, "rival", "spy@rival.test", "member");
    ts.addUser(admin, "rival", "dev0@team.test", "tenant_admin"); // one account in two tenants
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static String users(String slug) {
    return "/admin/v1/tenants/" + slug + "/users";
  }

  private static List<String> emails(HttpResponse<Buffer> page) {
    assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
    List<String> emails = new ArrayList<>();
    JsonArray items = page.bodyAsJsonObject().getJsonArray("items");
    items.forEach(item -> emails.add(((JsonObject) item).getString("email")));
    return emails;
  }

  private static String userId(String slug, String email) {
    JsonArray items = ts.api.get(users(slug) + "?email_prefix=" + email, admin).bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(1);
    return items.getJsonObject(0).getString("user_id");
  }

  private static HttpResponse<Buffer> patch(String token, String slug, String id, String role) {
    return ts.api.send(ts.api.request(HttpMethod.PATCH, users(slug) + "/" + id, token), new JsonObject().put("role", role));
  }

  private static int tokenStatus(String email, String tenant) {
    return ts.api.post("/auth/token", null, new JsonObject().put("email", email).put("password", "password-of-" + email)
      .put("tenant", tenant)).statusCode();
  }

  @Test
  void pagesWalkEveryMemberOnceAndNoOtherTenants() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<Buffer> page = ts.api.get(users("team") + "?limit=3" + (cursor == null ? "" : "&cursor=" + cursor), boss);
      List<String> emails = emails(page);
      assertThat(emails.size()).isLessThanOrEqualTo(3);
      seen.addAll(emails);
      cursor = page.bodyAsJsonObject().getString("next_cursor");
      pages++;
    } while (cursor != null && pages < 10);
    assertThat(seen).doesNotHaveDuplicates()
      .contains("tenant_admin@team.test", "zed@elsewhere.test", "dev0@team.test", "dev6@team.test")
      .doesNotContain("spy@rival.test")
      .noneMatch(email -> email.endsWith("rival.test"));
    assertThat(seen).hasSizeGreaterThanOrEqualTo(9);
    assertThat(pages).isGreaterThanOrEqualTo(3);
  }

  @Test
  void filtersByRoleAndEmailPrefix() {
    assertThat(emails(ts.api.get(users("team") + "?role=read_only", boss)))
      .containsExactlyInAnyOrder("dev0@team.test", "dev1@team.test");
    assertThat(emails(ts.api.get(users("team") + "?email_prefix=DEV", boss))).hasSize(7)
      .allMatch(email -> email.startsWith("dev"));
    assertThat(emails(ts.api.get(users("team") + "?email_prefix=zed", boss))).containsExactly("zed@elsewhere.test");
    // LIKE wildcards are taken literally.
    assertThat(emails(ts.api.get(users("team") + "?email_prefix=d_v", boss))).isEmpty();
    assertThat(emails(ts.api.get(users("team") + "?email_prefix=spy", boss))).isEmpty();
    assertProblem(ts.api.get(users("team") + "?role=owner", boss), 400);
  }

  @Test
  void aCursorOfAnotherTenantsListIsRefused() {
    String cursor = ts.api.get(users("rival") + "?limit=1", admin).bodyAsJsonObject().getString("next_cursor");
    assertThat(cursor).isNotNull();
    assertProblem(ts.api.get(users("team") + "?cursor=" + cursor, admin), 400);
  }

  @Test
  void aRoleChangeIsInForceForNewTokensAndShowsInTheList() {
    ts.addUser(admin, "team", "promoted@team.test", "member");
    String id = userId("team", "promoted@team.test");
    HttpResponse<Buffer> changed = patch(boss, "team", id, "read_only");
    assertThat(changed.statusCode()).as(changed.bodyAsString()).isEqualTo(200);
    assertThat(changed.bodyAsJsonObject().getString("role")).isEqualTo("read_only");
    assertThat(emails(ts.api.get(users("team") + "?role=read_only", boss))).contains("promoted@team.test");
    String token = ts.api.token("promoted@team.test", "password-of-promoted@team.test", "team");
    // read_only may not write records
    assertThat(ts.api.post("/api/v1/collections/notes/records", token, new JsonObject().put("x", 1)).statusCode())
      .isEqualTo(403);
    assertProblem(patch(boss, "team", id, "owner"), 400);
  }

  @Test
  void aRemovedMemberCannotSignInToTheTenantButKeepsTheAccount() {
    ts.addUser(admin, "team", "leaver@team.test", "member");
    ts.addUser(admin, "rival", "leaver@team.test", "member");
    assertThat(tokenStatus("leaver@team.test", "team")).isEqualTo(200);
    String id = userId("team", "leaver@team.test");
    assertThat(ts.api.delete(users("team") + "/" + id, boss, null).statusCode()).isEqualTo(204);
    assertThat(tokenStatus("leaver@team.test", "team")).isEqualTo(401);
    assertThat(tokenStatus("leaver@team.test", "rival")).isEqualTo(200);
    assertThat(emails(ts.api.get(users("team"), boss))).doesNotContain("leaver@team.test");
    assertProblem(ts.api.delete(users("team") + "/" + id, boss, null), 404);
  }

  @Test
  void theLastTenantAdminCanBeNeitherDemotedNorRemoved() {
    ts.createTenant(admin, "solo");
    ts.addUser(admin, "solo", "only@solo.test", "tenant_admin");
    ts.addUser(admin, "solo", "second@solo.test", "member");
    String only = userId("solo", "only@solo.test");
    String second = userId("solo", "second@solo.test");
    String soloBoss = ts.api.token("only@solo.test", "password-of-only@solo.test", "solo");
    assertProblem(patch(soloBoss, "solo", only, "member"), 409);
    assertProblem(ts.api.delete(users("solo") + "/" + only, soloBoss, null), 409);
    assertProblem(ts.api.delete(users("solo") + "/" + only, admin, null), 409);
    assertThat(emails(ts.api.get(users("solo") + "?role=tenant_admin", admin))).containsExactly("only@solo.test");
    // With a second admin, the first may step down.
    assertThat(patch(soloBoss, "solo", second, "tenant_admin").statusCode()).isEqualTo(200);
    assertThat(patch(soloBoss, "solo", only, "member").statusCode()).isEqualTo(200);
    assertThat(emails(ts.api.get(users("solo") + "?role=tenant_admin", admin))).containsExactly("second@solo.test");
  }

  @Test
  void anotherTenantsMemberIsNotFoundThroughThisTenant() {
    String spy = userId("rival", "spy@rival.test");
    assertProblem(patch(boss, "team", spy, "tenant_admin"), 404);
    assertProblem(ts.api.delete(users("team") + "/" + spy, boss, null), 404);
    assertProblem(patch(boss, "team", "not-a-uuid", "member"), 404);
    assertThat(emails(ts.api.get(users("rival") + "?email_prefix=spy", admin))).containsExactly("spy@rival.test");
    assertThat(ts.api.get(users("rival") + "?role=member", admin).bodyAsString()).contains("\"member\"");
  }

  @Test
  void everyRouteRefusesAnonymousMembersAndOtherTenantsAdmins() {
    String victim = userId("team", "dev5@team.test");
    for (String token : new String[] {null, member, otherBoss}) {
      int status = token == null ? 401 : 403;
      JsonObject listed = assertProblem(ts.api.get(users("team"), token), status);
      assertThat(listed.encode()).doesNotContain("dev5@team.test");
      assertProblem(patch(token, "team", victim, "tenant_admin"), status);
      assertProblem(ts.api.delete(users("team") + "/" + victim, token, null), status);
    }
    // Unknown tenants look the same as foreign ones to a tenant_admin.
    assertProblem(ts.api.get(users("no-such-tenant"), otherBoss), 403);
    assertThat(emails(ts.api.get(users("team") + "?email_prefix=dev5", admin))).containsExactly("dev5@team.test");
    assertThat(patch(admin, "team", victim, "member").statusCode()).isEqualTo(200);
    assertProblem(ts.api.get(users("no-such-tenant"), admin), 404);
  }

  @Test
  void aDemotedAdminsOlderTokenNoLongerManagesMembers() {
    ts.addUser(admin, "team", "ex-boss@team.test", "tenant_admin");
    String exBoss = ts.api.token("ex-boss@team.test", "password-of-ex-boss@team.test", "team");
    assertThat(ts.api.get(users("team"), exBoss).statusCode()).isEqualTo(200);
    String id = userId("team", "ex-boss@team.test");
    assertThat(patch(boss, "team", id, "member").statusCode()).isEqualTo(200);
    String victim = userId("team", "dev4@team.test");
    assertProblem(ts.api.get(users("team"), exBoss), 403);
    assertProblem(patch(exBoss, "team", victim, "read_only"), 403);
    assertProblem(ts.api.delete(users("team") + "/" + victim, exBoss, null), 403);
    assertThat(emails(ts.api.get(users("team") + "?email_prefix=dev4", boss))).containsExactly("dev4@team.test");
    assertThat(ts.api.get(users("team") + "?email_prefix=dev4", boss).bodyAsString()).contains("\"member\"");
  }

  @Test
  void aSuspendedTenantsAdminCanNoLongerManageMembers() {
    String suspendedBoss = ts.tenantWithUser(admin, "frozen", "tenant_admin");
    assertThat(ts.api.get(users("frozen"), suspendedBoss).statusCode()).isEqualTo(200);
    assertThat(ts.api.post("/admin/v1/tenants/frozen/suspend", admin, new JsonObject()).statusCode()).isEqualTo(200);
    assertProblem(ts.api.get(users("frozen"), suspendedBoss), 403);
    assertThat(ts.api.get(users("frozen"), admin).statusCode()).isEqualTo(200);
  }
}
