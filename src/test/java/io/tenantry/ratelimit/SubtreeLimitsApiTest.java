package io.tenantry.ratelimit;

import io.tenantry.admin.HierarchyTestSupport;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.tenantry.ratelimit.Limited.NOTES;
import static io.tenantry.ratelimit.Limited.header;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Subtree budgets through the API of a real server against the machine's Redis, each test over a tree of its own
 * root > (a, b): who may read and set them, what is refused and why, and a noisy child held to its cap on the data
 * plane while its sibling and the parent draw from what is left.
 */
class SubtreeLimitsApiTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static TestServer ts;
  private static String superAdmin;

  /** root > (a, b), with an admin of each, a member of root and a member of each child. */
  private record Tree(String root, String a, String b, String parentAdmin, String childAdmin, String siblingAdmin,
                      String member, String memberA, String memberB) {
  }

  @BeforeAll
  static void start() {
    ts = TestServer.start();
    superAdmin = ts.adminToken();
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static Tree tree() {
    String root = "st" + SEQ.incrementAndGet();
    String parentAdmin = ts.tenantWithUser(superAdmin, root, "tenant_admin");
    for (String kid : List.of(root + "-a", root + "-b")) {
      assertThat(HierarchyTestSupport.child(ts, superAdmin, kid, root).statusCode()).isEqualTo(201);
    }
    return new Tree(root, root + "-a", root + "-b", parentAdmin, user(root + "-a", "tenant_admin"),
      user(root + "-b", "tenant_admin"), user(root, "member"), user(root + "-a", "member"), user(root + "-b", "member"));
  }

  private static String user(String slug, String role) {
    String email = role + "@" + slug + ".test";
    ts.addUser(superAdmin, slug, email, role);
    return ts.api.token(email, "password-of-" + email, slug);
  }

  private static String path(String slug) {
    return "/admin/v1/tenants/" + slug + "/limits/subtree";
  }

  private static HttpResponse<Buffer> put(String token, String slug, JsonObject body) {
    return ts.api.send(ts.api.request(HttpMethod.PUT, path(slug), token), body);
  }

  private static JsonObject rate(int rate, int burst) {
    return new JsonObject().put("rate", rate).put("burst", burst);
  }

  private static JsonObject ok(HttpResponse<Buffer> r) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  @Test
  void readingIsForTheTenantsAdminsItsAncestorsAdminsAndSuperAdmins() {
    Tree t = tree();
    ok(put(superAdmin, t.root(), new JsonObject().put("budget", rate(50, 100)).put("child_cap", rate(20, 40))));
    assertProblem(ts.api.get(path(t.a()), null), 401);
    for (String refused : List.of(t.member(), t.siblingAdmin())) {
      JsonObject problem = assertProblem(ts.api.get(path(t.a()), refused), 403);
      assertThat(problem.getString("detail")).as("the answer for a tenant that does not exist")
        .isEqualTo(assertProblem(ts.api.get(path("no-such-tenant"), refused), 403).getString("detail"));
    }
    for (String allowed : List.of(t.childAdmin(), t.parentAdmin(), superAdmin)) {
      JsonObject view = ok(ts.api.get(path(t.a()), allowed));
      assertThat(view.getString("slug")).isEqualTo(t.a());
      assertThat(view.getString("parent")).isEqualTo(t.root());
      assertThat(view.getJsonObject("cap_in_force")).isEqualTo(rate(20, 40).put("source", "parent_child_cap"));
      assertThat(view.containsKey("budget") && view.getValue("budget") == null).isTrue();
    }
    assertProblem(ts.api.get(path(t.root()), t.childAdmin()), 403);
    assertProblem(ts.api.get(path("no-such-tenant"), superAdmin), 404);
    assertThat(ok(ts.api.get(path(t.root()), t.parentAdmin())).getJsonObject("budget")).isEqualTo(rate(50, 100));
  }

  @Test
  void aParentsAdminCapsItsChildrenWithinItsOwnLimitsAndAChildsAdminCannotRaiseItsOwnCap() {
    Tree t = tree();
    JsonObject budget = new JsonObject().put("budget", rate(50, 100));
    for (String refused : List.of(t.member(), t.childAdmin(), t.siblingAdmin())) {
      assertProblem(put(refused, t.root(), budget), 403);
    }
    assertProblem(put(null, t.root(), budget), 401);
    assertThat(ok(put(t.parentAdmin(), t.root(), budget)).getJsonObject("budget")).isEqualTo(rate(50, 100));

    // the parent's admin caps a child's branch; the child's own admin cannot touch it, the sibling's nothing at all
    JsonObject cap = new JsonObject().put("cap", rate(10, 20));
    assertProblem(put(t.siblingAdmin(), t.a(), cap), 403);
    assertThat(assertProblem(put(t.childAdmin(), t.a(), new JsonObject().put("cap", rate(40, 80))), 403)
      .getString("detail")).contains("only an admin of an ancestor");
    assertProblem(put(t.childAdmin(), t.a(), new JsonObject().putNull("cap")), 403);
    assertThat(ok(put(t.parentAdmin(), t.a(), cap)).getJsonObject("cap_in_force"))
      .isEqualTo(rate(10, 20).put("source", "cap"));
    // a child's admin may divide its own subtree, within its own tenant's limits (the default plan: 100/s, burst 200)
    assertThat(ok(put(t.childAdmin(), t.a(), new JsonObject().put("budget", rate(100, 200)))).getJsonObject("cap"))
      .as("untouched").isEqualTo(rate(10, 20));
    JsonObject tooMuch = assertProblem(put(t.childAdmin(), t.a(), new JsonObject().put("budget", rate(101, 200))), 422);
    assertThat(tooMuch.getString("detail")).contains("your own tenant's limits (rate 100, burst 200)");
    // a super-admin is bound only by the structure
    assertThat(ok(put(superAdmin, t.root(), new JsonObject().put("budget", rate(5000, 9000)))).getJsonObject("budget"))
      .isEqualTo(rate(5000, 9000));
    assertThat(ok(put(superAdmin, t.a(), new JsonObject().putNull("cap").putNull("budget"))).getValue("cap")).isNull();
  }

  @Test
  void boundsAreRefusedWith422NamingTheBoundAndMalformedValuesWith400() {
    Tree t = tree();
    ok(put(superAdmin, t.root(), new JsonObject().put("budget", rate(50, 100))));
    JsonObject childCap = assertProblem(put(t.parentAdmin(), t.root(), new JsonObject().put("child_cap", rate(60, 10))), 422);
    assertThat(childCap.getString("detail")).contains("the subtree budget of '" + t.root() + "' (rate 50, burst 100)");
    JsonObject cap = assertProblem(put(superAdmin, t.a(), new JsonObject().put("cap", rate(10, 101))), 422);
    assertThat(cap.getString("detail")).contains("exceeds the subtree budget of '" + t.root() + "' (rate 50, burst 100)");
    assertThat(assertProblem(put(superAdmin, t.a(), new JsonObject().put("child_cap", rate(1, 1))), 422)
      .getString("detail")).contains("needs a subtree budget");
    assertThat(assertProblem(put(superAdmin, t.root(), new JsonObject().put("cap", rate(1, 1))), 422)
      .getString("detail")).contains("has no parent");
    ok(put(superAdmin, t.root(), new JsonObject().putNull("budget")));
    assertThat(assertProblem(put(superAdmin, t.a(), new JsonObject().put("cap", rate(1, 1))), 422)
      .getString("detail")).contains("the parent '" + t.root() + "' has no subtree budget");

    for (JsonObject bad : List.of(
      new JsonObject().put("budget", rate(0, 1)),
      new JsonObject().put("budget", rate(1, 1_000_001)),
      new JsonObject().put("budget", "fast"),
      new JsonObject().put("budget", new JsonObject().put("rate", 1)),
      new JsonObject().put("budget", rate(1, 1).put("per", "minute")),
      new JsonObject().put("budget", new JsonObject().put("rate", 1.5).put("burst", 2)),
      new JsonObject().put("subtree", rate(1, 1)))) {
      assertThat(assertProblem(put(superAdmin, t.root(), bad), 400).getString("detail")).as(bad.encode()).isNotBlank();
    }
    assertThat(ok(ts.api.get(path(t.root()), superAdmin)).getValue("budget")).as("nothing changed").isNull();
  }

  /**
   * The root's budget: rate 1, burst 20; each child's branch: rate 1, burst 10. The noisy child a floods and is held
   * to its cap (one more per second elapsed); its sibling b still gets its own share; then the root's own traffic,
   * drawing from the same budget, is refused by it. Each 429 says which budget refused.
   */
  @Test
  void aNoisyChildIsHeldToItsCapWhileItsSiblingGetsItsShareAndTheParentDrawsFromTheBudget() {
    Tree t = tree();
    ok(put(t.parentAdmin(), t.root(), new JsonObject().put("budget", rate(1, 20)).put("child_cap", rate(1, 10))));
    long start = System.nanoTime();

    List<HttpResponse<Buffer>> fromA = flood(t.memberA(), 40);
    List<HttpResponse<Buffer>> fromB = flood(t.memberB(), 40);
    int elapsed = (int) ((System.nanoTime() - start) / 1_000_000_000L) + 1;
    int admittedA = admitted(fromA);
    int admittedB = admitted(fromB);
    assertThat(admittedA).as("a: its cap's burst, plus one per second elapsed (%d)", elapsed).isBetween(10, 10 + elapsed);
    assertThat(admittedB).as("b: its share is left").isBetween(10 - elapsed, 10 + elapsed);
    assertThat(admittedA + admittedB).as("the budget").isLessThanOrEqualTo(20 + elapsed);

    HttpResponse<Buffer> refusedA = fromA.get(fromA.size() - 1);
    JsonObject problem = assertProblem(refusedA, 429);
    assertThat(problem.getString("detail")).contains("this branch's cap in the subtree of '" + t.root() + "'")
      .doesNotContain(t.b());
    assertThat(header(refusedA, "Retry-After")).isBetween(1, 2);
    assertThat(header(refusedA, "RateLimit-Remaining")).isZero();
    HttpResponse<Buffer> admitted = fromA.get(0);
    assertThat(header(admitted, "RateLimit-Limit")).as("an admitted request reports the tenant's own budget").isEqualTo(200);

    List<HttpResponse<Buffer>> fromRoot = flood(t.parentAdmin(), 5);
    HttpResponse<Buffer> refusedRoot = fromRoot.get(fromRoot.size() - 1);
    assertThat(assertProblem(refusedRoot, 429).getString("detail"))
      .contains("the shared budget of the subtree of '" + t.root() + "'");

    // removing the budget lifts it at once on this node
    ok(put(t.parentAdmin(), t.root(), new JsonObject().putNull("budget").putNull("child_cap")));
    assertThat(ts.api.get(NOTES, t.memberA()).statusCode()).isEqualTo(200);
  }

  /** Requests until the first 429 or {@code max}; the last one is the refusal, if any. */
  private static List<HttpResponse<Buffer>> flood(String token, int max) {
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      HttpResponse<Buffer> r = ts.api.get(NOTES, token);
      answers.add(r);
      if (r.statusCode() == 429) {
        break;
      }
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    }
    return answers;
  }

  private static int admitted(List<HttpResponse<Buffer>> answers) {
    return (int) answers.stream().filter(r -> r.statusCode() == 200).count();
  }
}
