package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's tenant_admin goes after B's members, through B's path (refused: not B's admin) and through A's path with B's
 * member ids (not found: A's statements are keyed by A). B's members stay as they were; A's own listing is complete.
 */
class MembershipAttacksTest extends AttackSuite {
  private static String users(Side side) {
    return "/admin/v1/tenants/" + side.slug() + "/users";
  }

  /** B's members as B's own admin sees them: user id and role, in id order. */
  private List<String> members(Side side, String token) {
    HttpResponse<Buffer> list = world.ts.api.get(users(side) + "?limit=500", token);
    assertThat(list.statusCode()).as(list.bodyAsString()).isEqualTo(200);
    List<String> members = new ArrayList<>();
    JsonArray items = list.bodyAsJsonObject().getJsonArray("items");
    items.forEach(item -> members.add(((JsonObject) item).getString("user_id") + " " + ((JsonObject) item).getString("email")
      + " " + ((JsonObject) item).getString("role")));
    return members;
  }

  private void assertMembersIntact(Side side) {
    assertThat(members(side, side.adminToken())).hasSize(2)
      .anyMatch(m -> m.endsWith(" member@" + side.slug() + ".test member"))
      .anyMatch(m -> m.endsWith(" admin@" + side.slug() + ".test tenant_admin"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aCannotListBsMembers(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    for (String query : new String[] {"", "?role=member", "?email_prefix=admin", "?limit=1"}) {
      HttpResponse<Buffer> r = world.ts.api.get(users(b) + query, a.adminToken());
      assertProblem(r, 403);
      assertNoLeak(r, b);
      assertThat(r.bodyAsString()).doesNotContain(b.slug() + ".test");
    }
    // A's own list: its two members, nothing of B's, even filtered by B's e-mail domain.
    List<String> own = members(a, a.adminToken());
    assertThat(own).hasSize(2).noneMatch(m -> m.contains(b.slug() + ".test"));
    HttpResponse<Buffer> probe = world.ts.api.get(users(a) + "?email_prefix=member@" + b.slug(), a.adminToken());
    assertThat(probe.bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aCannotChangeOrRemoveBsMembersThroughEitherPath(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    List<String> before = members(b, b.adminToken());
    for (String member : before) {
      String id = member.substring(0, member.indexOf(' '));
      for (Side path : new Side[] {b, a}) {
        int expected = path == b ? 403 : 404;
        HttpResponse<Buffer> patched = world.ts.api.send(world.ts.api.request(HttpMethod.PATCH, users(path) + "/" + id,
          a.adminToken()), new JsonObject().put("role", "read_only"));
        assertProblem(patched, expected);
        assertNoLeak(patched, b);
        HttpResponse<Buffer> removed = world.ts.api.delete(users(path) + "/" + id, a.adminToken(), null);
        assertProblem(removed, expected);
        assertNoLeak(removed, b);
      }
    }
    assertThat(members(b, b.adminToken())).isEqualTo(before);
    assertMembersIntact(b);
    assertMembersIntact(a);
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void bsMembersCanStillSignInToB(Pairing p) {
    Side b = world.b(p);
    for (String who : new String[] {"member", "admin"}) {
      String email = who + "@" + b.slug() + ".test";
      assertThat(world.ts.api.post("/auth/token", null, new JsonObject().put("email", email)
        .put("password", "password-of-" + email).put("tenant", b.slug())).statusCode()).isEqualTo(200);
    }
  }
}
