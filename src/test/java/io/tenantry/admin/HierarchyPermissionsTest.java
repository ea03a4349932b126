package io.tenantry.admin;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what on every hierarchy route and every route whose guard changed, over the tree
 * org > (org-a > (org-a-1, org-a-2), org-b): the parent's admin (org), the child's admin (org-a), the sibling's admin
 * (org-b), a member of org, anonymous, a super-admin. A refusal reveals nothing: it is the answer given for a tenant
 * that does not exist.
 */
class HierarchyPermissionsTest {
  private static final String TENANTS = "/admin/v1/tenants";
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static TestServer ts;
  private static String superAdmin;
  private static String parentAdmin;
  private static String childAdmin;
  private static String siblingAdmin;
  private static String member;

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    superAdmin = ts.adminToken();
    parentAdmin = ts.tenantWithUser(superAdmin, "org", "tenant_admin");
    for (String[] kid : new String[][] {{"org-a", "org"}, {"org-b", "org"}, {"org-a-1", "org-a"}, {"org-a-2", "org-a"}}) {
      assertThat(HierarchyTestSupport.child(ts, superAdmin, kid[0], kid[1]).statusCode()).isEqualTo(201);
    }
    childAdmin = userIn("org-a", "tenant_admin");
    siblingAdmin = userIn("org-b", "tenant_admin");
    member = userIn("org", "member");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static String userIn(String slug, String role) {
    String email = role + "@" + slug + ".test";
    ts.addUser(superAdmin, slug, email, role);
    return ts.api.token(email, "password-of-" + email, slug);
  }

  /** Callers in the order they are tried: refused ones first, so a permitted write cannot change what they see. */
  private static Map<String, String> callers() {
    Map<String, String> callers = new LinkedHashMap<>();
    callers.put("anonymous", null);
    callers.put("member", member);
    callers.put("sibling admin", siblingAdmin);
    callers.put("child admin", childAdmin);
    callers.put("parent admin", parentAdmin);
    callers.put("super-admin", superAdmin);
    return callers;
  }

  /** Expected statuses in the order of {@link #callers()}; every 403 must be the answer for an unknown tenant. */
  private static void matrix(Function<String, HttpResponse<Buffer>> call, Function<String, HttpResponse<Buffer>> onUnknown,
                             int... expected) {
    List<String> names = new ArrayList<>(callers().keySet());
    for (int i = 0; i < expected.length; i++) {
      String token = callers().get(names.get(i));
      HttpResponse<Buffer> answer = call.apply(token);
      assertThat(answer.statusCode()).as("%s: %s", names.get(i), answer.bodyAsString()).isEqualTo(expected[i]);
      if (expected[i] >= 400) {
        JsonObject problem = assertProblem(answer, expected[i]);
        if (expected[i] == 403 && onUnknown != null) {
          JsonObject unknown = assertProblem(onUnknown.apply(token), 403);
          assertThat(problem.getString("detail")).as(names.get(i)).isEqualTo(unknown.getString("detail"));
          assertThat(problem.getString("type")).isEqualTo(unknown.getString("type"));
        }
      }
    }
  }

  private static Function<String, HttpResponse<Buffer>> get(String path) {
    return token -> ts.api.get(TENANTS + "/" + path, token);
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

  @Test
  void readingAChildIsForItsAdminsItsAncestorsAdminsAndSuperAdmins() {
    for (String route : List.of("", "/children", "/descendants", "/ancestors")) {
      matrix(get("org-a" + route), get("no-such-org" + route), 401, 403, 403, 200, 200, 200);
    }
    // other tests add children of org-a and org; these are always there, and nothing outside the subtree is
    assertThat(slugs(ts.api.get(TENANTS + "/org-a/children", parentAdmin))).contains("org-a-1", "org-a-2")
      .doesNotContain("org", "org-a", "org-b");
    assertThat(slugs(ts.api.get(TENANTS + "/org/descendants?limit=500", parentAdmin)))
      .contains("org-a", "org-b", "org-a-1", "org-a-2").doesNotContain("org");
  }

  @Test
  void aChildsAdminSeesNothingAboveItsOwnTenant() {
    for (String route : List.of("", "/children", "/descendants", "/ancestors")) {
      matrix(get("org" + route), get("no-such-org" + route), 401, 403, 403, 403);
    }
    assertThat(slugs(ts.api.get(TENANTS + "/org-a/ancestors", childAdmin))).isEmpty();
    assertThat(slugs(ts.api.get(TENANTS + "/org-a-1/ancestors", childAdmin))).containsExactly("org-a");
    assertThat(slugs(ts.api.get(TENANTS + "/org-a-1/ancestors", parentAdmin))).containsExactly("org-a", "org");
    assertThat(ts.api.get(TENANTS + "/org-a", childAdmin).bodyAsJsonObject().containsKey("parent")).isFalse();
    assertThat(ts.api.get(TENANTS + "/org-a", parentAdmin).bodyAsJsonObject().getString("parent")).isEqualTo("org");
    assertThat(ts.api.get(TENANTS + "/org-a-1", childAdmin).bodyAsJsonObject().getString("parent")).isEqualTo("org-a");
  }

  @Test
  void creatingAChildIsForAdminsOfTheParentOrAboveIt() {
    matrix(token -> HierarchyTestSupport.child(ts, token, "kid-" + SEQ.incrementAndGet(), "org-a"),
      token -> HierarchyTestSupport.child(ts, token, "kid-" + SEQ.incrementAndGet(), "no-such-org"),
      401, 403, 403, 201, 201, 201);
    matrix(token -> HierarchyTestSupport.child(ts, token, "kid-" + SEQ.incrementAndGet(), "org"),
      token -> HierarchyTestSupport.child(ts, token, "kid-" + SEQ.incrementAndGet(), "no-such-org"),
      401, 403, 403, 403, 201, 201);
    // a top-level tenant is a super-admin's
    matrix(token -> HierarchyTestSupport.child(ts, token, "top-" + SEQ.incrementAndGet(), null), null,
      401, 403, 403, 403, 403, 201);
    // and where a database lives too
    assertProblem(ts.api.post(TENANTS, childAdmin, new JsonObject().put("slug", "placed").put("name", "Placed")
      .put("parent", "org-a").put("isolation", "database").put("database", new JsonObject().put("name", "elsewhere"))), 403);
    assertProblem(ts.api.get(TENANTS + "/placed", superAdmin), 404);
  }

  @Test
  void suspendingAndResumingAreForAdminsOfAnAncestor() {
    for (String action : List.of("suspend", "resume")) {
      matrix(token -> {
        HttpResponse<Buffer> answer = ts.api.post(TENANTS + "/org-a-1/" + action, token, new JsonObject());
        if (answer.statusCode() == 200) {
          assertThat(answer.bodyAsJsonObject().getString("status")).isEqualTo(action.equals("suspend") ? "suspended" : "active");
          assertThat(ts.api.post(TENANTS + "/org-a-1/resume", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
        }
        return answer;
      }, token -> ts.api.post(TENANTS + "/no-such-org/" + action, token, new JsonObject()), 401, 403, 403, 200, 200, 200);
    }
    // one's own tenant is not one's to suspend
    assertProblem(ts.api.post(TENANTS + "/org-a/suspend", childAdmin, new JsonObject()), 403);
    assertThat(ts.api.get(TENANTS + "/org-a", superAdmin).bodyAsJsonObject().getString("status")).isEqualTo("active");
  }

  @Test
  void aSuspendedParentsAdminCannotActBelowIt() {
    assertThat(ts.api.post(TENANTS + "/org/suspend", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    try {
      assertProblem(ts.api.post(TENANTS + "/org-a-1/suspend", parentAdmin, new JsonObject()), 403);
      assertProblem(HierarchyTestSupport.child(ts, parentAdmin, "late-kid", "org-a"), 403);
      assertProblem(ts.api.post(TENANTS + "/org-a/users", parentAdmin,
        new JsonObject().put("email", "late@org.test").put("role", "member")), 403);
      assertProblem(ts.api.post(TENANTS + "/org-a-1/move", parentAdmin, new JsonObject().put("parent", "org-b")), 403);
    } finally {
      assertThat(ts.api.post(TENANTS + "/org/resume", superAdmin, new JsonObject()).statusCode()).isEqualTo(200);
    }
    assertThat(ts.api.get(TENANTS + "/org-a-1", superAdmin).bodyAsJsonObject().getString("status")).isEqualTo("active");
    assertThat(ts.api.get(TENANTS + "/org-a-1", superAdmin).bodyAsJsonObject().getString("parent")).isEqualTo("org-a");
  }

  @Test
  void addingUsersToAChildIsForItsAdminsAndItsAncestorsAdmins() {
    matrix(token -> {
      String email = "new-" + SEQ.incrementAndGet() + "@org-a.test";
      JsonObject body = new JsonObject().put("email", email).put("role", "member");
      if (superAdmin.equals(token)) {
        body.put("password", "password-of-" + email);
      }
      return ts.api.post(TENANTS + "/org-a/users", token, body);
    }, token -> ts.api.post(TENANTS + "/no-such-org/users", token,
      new JsonObject().put("email", "x@y.test").put("role", "member")), 401, 403, 403, 202, 202, 201);
  }

  @Test
  void aChildsMembersAndInvitationsAreManagedByItsAdminsAndItsAncestorsAdmins() {
    matrix(token -> ts.api.get(TENANTS + "/org-a/users", token),
      token -> ts.api.get(TENANTS + "/no-such-org/users", token), 401, 403, 403, 200, 200, 200);
    matrix(token -> ts.api.post(TENANTS + "/org-a/invitations", token,
        new JsonObject().put("email", "inv-" + SEQ.incrementAndGet() + "@org-a.test").put("role", "member")),
      token -> ts.api.post(TENANTS + "/no-such-org/invitations", token,
        new JsonObject().put("email", "x@y.test").put("role", "member")), 401, 403, 403, 201, 201, 201);
    matrix(token -> ts.api.get(TENANTS + "/org-a-1/invitations", token),
      token -> ts.api.get(TENANTS + "/no-such-org/invitations", token), 401, 403, 403, 200, 200, 200);
    // the parent's admin sees the child's own admin among its members
    HttpResponse<Buffer> members = ts.api.get(TENANTS + "/org-a/users?role=tenant_admin", parentAdmin);
    assertThat(members.bodyAsJsonObject().getJsonArray("items").stream()
      .map(m -> ((JsonObject) m).getString("email"))).contains("tenant_admin@org-a.test");
  }

  @Test
  void movingIsWithinTheCallersOwnSubtree() {
    matrix(token -> {
      HttpResponse<Buffer> answer = ts.api.post(TENANTS + "/org-a-1/move", token, new JsonObject().put("parent", "org-a-2"));
      if (answer.statusCode() == 200) {
        assertThat(answer.bodyAsJsonObject().getString("parent")).isEqualTo("org-a-2");
        assertThat(ts.api.post(TENANTS + "/org-a-1/move", superAdmin, new JsonObject().put("parent", "org-a")).statusCode())
          .isEqualTo(200);
      }
      return answer;
    }, token -> ts.api.post(TENANTS + "/no-such-org/move", token, new JsonObject().put("parent", "org-a-2")),
      401, 403, 403, 200, 200, 200);
    // the child's admin cannot move its own tenant, nor take a tenant out of its subtree
    assertProblem(ts.api.post(TENANTS + "/org-a/move", childAdmin, new JsonObject().put("parent", "org-b")), 403);
    assertProblem(ts.api.post(TENANTS + "/org-a-1/move", childAdmin, new JsonObject().put("parent", "org-b")), 403);
    assertProblem(ts.api.post(TENANTS + "/org-a-1/move", childAdmin, new JsonObject().put("parent", "org")), 403);
    // the sibling's admin cannot pull the child under itself; only a super-admin makes a tenant top-level
    assertProblem(ts.api.post(TENANTS + "/org-a/move", siblingAdmin, new JsonObject().put("parent", "org-b")), 403);
    assertProblem(ts.api.post(TENANTS + "/org-a/move", parentAdmin, new JsonObject().put("parent", null)), 403);
    // the parent's admin moves within its own subtree
    assertThat(ts.api.post(TENANTS + "/org-a-1/move", parentAdmin, new JsonObject().put("parent", "org-b")).statusCode())
      .isEqualTo(200);
    assertProblem(ts.api.get(TENANTS + "/org-a-1", childAdmin), 403);
    assertThat(ts.api.get(TENANTS + "/org-a-1", siblingAdmin).statusCode()).isEqualTo(200);
    assertThat(ts.api.post(TENANTS + "/org-a-1/move", parentAdmin, new JsonObject().put("parent", "org-a")).statusCode())
      .isEqualTo(200);
    assertThat(ts.api.get(TENANTS + "/org-a-1", childAdmin).statusCode()).isEqualTo(200);
    assertThat(ts.api.get(TENANTS + "/org-a", superAdmin).bodyAsJsonObject().getString("parent")).isEqualTo("org");
  }

  @Test
  void deletingIsASuperAdminsOrAnAncestorsAndRefusesATenantWithChildren() {
    matrix(token -> ts.api.delete(TENANTS + "/org-a", token, null), null, 401, 403, 403, 403, 409, 409);
    assertThat(ts.api.get(TENANTS + "/org-a", superAdmin).statusCode()).isEqualTo(200);
  }
}
