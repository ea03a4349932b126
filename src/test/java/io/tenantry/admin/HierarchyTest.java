package io.tenantry.admin;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestServer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organization hierarchy (tenancy.max-depth 4 here): building a tree, listing children, descendants and
 * ancestors, moving subtrees (cycles and the depth limit refused, nothing changed), deleting a parent refused.
 */
class HierarchyTest {
  private static final String TENANTS = "/admin/v1/tenants";
  private static TestServer ts;
  private static String admin;
  private static String rootAdmin;

  @BeforeAll
  static void start() {
    ts = TestServer.start(Map.of("tenancy.max-depth", "4", "tenancy.delete-grace-seconds", "1"));
    admin = ts.adminToken();
    rootAdmin = ts.tenantWithUser(admin, "root", "tenant_admin");
    assertThat(child(admin, "root-eu", "root").statusCode()).isEqualTo(201);
    assertThat(child(rootAdmin, "root-eu-fr", "root-eu").statusCode()).isEqualTo(201);
    assertThat(child(rootAdmin, "root-us", "root").statusCode()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  static HttpResponse<Buffer> child(String token, String slug, String parent) {
    return ts.api.post(TENANTS, token, new JsonObject().put("slug", slug).put("name", "Tenant " + slug).put("parent", parent));
  }

  private static List<String> slugs(HttpResponse<Buffer> page) {
    assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
    JsonArray items = page.bodyAsJsonObject().getJsonArray("items");
    List<String> slugs = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      slugs.add(items.getJsonObject(i).getString("slug"));
    }
    return slugs;
  }

  private static List<String> ancestors(String slug) {
    return slugs(ts.api.get(TENANTS + "/" + slug + "/ancestors", admin));
  }

  private static HttpResponse<Buffer> move(String token, String slug, String parent) {
    return ts.api.post(TENANTS + "/" + slug + "/move", token, new JsonObject().put("parent", parent));
  }

  @Test
  void aChildNamesItsParentAndTheTreeListsIt() {
    JsonObject fr = ts.api.get(TENANTS + "/root-eu-fr", admin).bodyAsJsonObject();
    assertThat(fr.getString("parent")).isEqualTo("root-eu");
    assertThat(ts.api.get(TENANTS + "/root", admin).bodyAsJsonObject().containsKey("parent")).isTrue();
    assertThat(ts.api.get(TENANTS + "/root", admin).bodyAsJsonObject().getString("parent")).isNull();
    assertThat(slugs(ts.api.get(TENANTS + "/root/children", admin))).containsExactly("root-eu", "root-us");
    assertThat(slugs(ts.api.get(TENANTS + "/root-eu/children", admin))).containsExactly("root-eu-fr");
    assertThat(slugs(ts.api.get(TENANTS + "/root-eu-fr/children", admin))).isEmpty();
    assertThat(ancestors("root-eu-fr")).containsExactly("root-eu", "root");
    assertThat(ancestors("root")).isEmpty();
  }

  @Test
  void descendantsArePagedWithACursor() {
    HttpResponse<Buffer> first = ts.api.get(TENANTS + "/root/descendants?limit=2", admin);
    List<String> seen = new ArrayList<>(slugs(first));
    assertThat(seen).hasSize(2);
    String cursor = first.bodyAsJsonObject().getString("next_cursor");
    assertThat(cursor).isNotNull();
    HttpResponse<Buffer> second = ts.api.get(TENANTS + "/root/descendants?limit=2&cursor=" + cursor, admin);
    seen.addAll(slugs(second));
    assertThat(second.bodyAsJsonObject().getString("next_cursor")).isNull();
    assertThat(seen).containsExactlyInAnyOrder("root-eu", "root-eu-fr", "root-us");
    assertProblem(ts.api.get(TENANTS + "/root/descendants?cursor=" + ts.api.get(TENANTS + "?limit=1", admin)
      .bodyAsJsonObject().getString("next_cursor"), admin), 400);
  }

  @Test
  void childrenArePagedWithACursor() {
    HttpResponse<Buffer> first = ts.api.get(TENANTS + "/root/children?limit=1", admin);
    assertThat(slugs(first)).containsExactly("root-eu");
    String cursor = first.bodyAsJsonObject().getString("next_cursor");
    HttpResponse<Buffer> second = ts.api.get(TENANTS + "/root/children?limit=1&cursor=" + cursor, admin);
    assertThat(slugs(second)).containsExactly("root-us");
    assertThat(second.bodyAsJsonObject().getString("next_cursor")).isNull();
  }

  @Test
  void anUnknownParentIsNotFoundForASuperAdminAndRefusedForOthers() {
    JsonObject problem = assertProblem(child(admin, "orphan", "no-such-parent"), 404);
    assertThat(problem.getString("detail")).contains("no-such-parent");
    assertProblem(child(rootAdmin, "orphan", "no-such-parent"), 403);
    assertProblem(ts.api.get(TENANTS + "/orphan", admin), 404);
  }

  @Test
  void theDepthLimitIsEnforcedOnCreateAndOnMove() {
    assertThat(child(admin, "deep-1", null).statusCode()).isEqualTo(201);
    assertThat(child(admin, "deep-2", "deep-1").statusCode()).isEqualTo(201);
    assertThat(child(admin, "deep-3", "deep-2").statusCode()).isEqualTo(201);
    assertThat(child(admin, "deep-4", "deep-3").statusCode()).isEqualTo(201);
    JsonObject tooDeep = assertProblem(child(admin, "deep-5", "deep-4"), 409);
    assertThat(tooDeep.getString("type")).endsWith("/hierarchy-too-deep");
    assertThat(tooDeep.getString("detail")).contains("tenancy.max-depth").contains("4");
    assertProblem(ts.api.get(TENANTS + "/deep-5", admin), 404);

    // root-eu has one level below it: under deep-3 (level 3) it would be at 4 and root-eu-fr at 5
    JsonObject moveTooDeep = assertProblem(move(admin, "root-eu", "deep-3"), 409);
    assertThat(moveTooDeep.getString("detail")).contains("level 5").contains("4");
    assertThat(ancestors("root-eu-fr")).containsExactly("root-eu", "root");
    assertThat(move(admin, "root-eu", "deep-2").statusCode()).isEqualTo(200);
    assertThat(ancestors("root-eu-fr")).containsExactly("root-eu", "deep-2", "deep-1");
    assertThat(move(admin, "root-eu", "root").statusCode()).isEqualTo(200);
    assertThat(ancestors("root-eu-fr")).containsExactly("root-eu", "root");
  }

  @Test
  void aMoveThatWouldMakeACycleIsRefusedAndChangesNothing() {
    JsonObject underOwnChild = assertProblem(move(admin, "root-eu", "root-eu-fr"), 409);
    assertThat(underOwnChild.getString("type")).endsWith("/hierarchy-cycle");
    assertThat(underOwnChild.getString("detail")).contains("descendants");
    assertProblem(move(admin, "root", "root-eu-fr"), 409);
    assertProblem(move(admin, "root-eu", "root-eu"), 409);
    assertThat(ancestors("root-eu-fr")).containsExactly("root-eu", "root");
    assertThat(ancestors("root-eu")).containsExactly("root");
  }

  @Test
  void aMoveRewritesTheWholeSubtreesPaths() {
    assertThat(child(admin, "mover", null).statusCode()).isEqualTo(201);
    assertThat(child(admin, "mover-a", "mover").statusCode()).isEqualTo(201);
    assertThat(child(admin, "mover-a-1", "mover-a").statusCode()).isEqualTo(201);
    assertThat(child(admin, "target", null).statusCode()).isEqualTo(201);

    HttpResponse<Buffer> moved = move(admin, "mover-a", "target");
    assertThat(moved.statusCode()).as(moved.bodyAsString()).isEqualTo(200);
    assertThat(moved.bodyAsJsonObject().getString("parent")).isEqualTo("target");
    assertThat(ancestors("mover-a-1")).containsExactly("mover-a", "target");
    assertThat(slugs(ts.api.get(TENANTS + "/target/descendants", admin))).containsExactlyInAnyOrder("mover-a", "mover-a-1");
    assertThat(slugs(ts.api.get(TENANTS + "/mover/descendants", admin))).isEmpty();

    HttpResponse<Buffer> top = move(admin, "mover-a", null);
    assertThat(top.statusCode()).isEqualTo(200);
    assertThat(top.bodyAsJsonObject().getString("parent")).isNull();
    assertThat(ancestors("mover-a")).isEmpty();
    assertThat(ancestors("mover-a-1")).containsExactly("mover-a");
    assertProblem(move(admin, "mover-a", "no-such-parent"), 404);
    assertProblem(move(admin, "no-such-tenant", "mover"), 404);
  }

  @Test
  void aTenantWithChildrenCannotBeDeleted() {
    assertThat(child(admin, "doomed", null).statusCode()).isEqualTo(201);
    assertThat(child(admin, "doomed-kid", "doomed").statusCode()).isEqualTo(201);
    JsonObject refused = assertProblem(ts.api.delete(TENANTS + "/doomed", admin, null), 409);
    assertThat(refused.getString("type")).endsWith("/tenant-has-children");
    assertThat(ts.api.get(TENANTS + "/doomed", admin).statusCode()).isEqualTo(200);
    assertThat(ts.api.delete(TENANTS + "/doomed-kid", admin, null).statusCode()).isEqualTo(204);
    // a deleted child can still be restored: it counts until the purge removes it
    Eventually.within(Duration.ofSeconds(30), "the parent deletable once its child is purged",
      () -> ts.api.delete(TENANTS + "/doomed", admin, null).statusCode() == 204);
    assertThat(ts.api.get(TENANTS + "/doomed", admin).bodyAsJsonObject().getString("status")).isEqualTo("deleted");
  }

  @Test
  void aParentsAdminCannotReadAChildsRecords() {
    String kidMember = memberOf("root-us");
    String records = "/api/v1/collections/notes/records";
    HttpResponse<Buffer> created = ts.api.post(records, kidMember, new JsonObject().put("secret", "secret-of-root-us"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");

    MultiMap child = MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", "root-us");
    for (String path : List.of(records, records + "/" + id)) {
      HttpResponse<Buffer> refused = ts.api.get(path, rootAdmin, child);
      assertProblem(refused, 403);
      assertThat(refused.bodyAsString()).doesNotContain("secret-of-root-us").doesNotContain(id);
    }
    // the parent's admin still reads its own tenant, and the child's member its own record
    assertThat(ts.api.get(records, rootAdmin).statusCode()).isEqualTo(200);
    assertThat(ts.api.get(records + "/" + id, kidMember).bodyAsString()).contains("secret-of-root-us");
  }

  private static String memberOf(String slug) {
    String email = "member@" + slug + ".test";
    ts.addUser(admin, slug, email, "member");
    return ts.api.token(email, "password-of-" + email, slug);
  }
}
