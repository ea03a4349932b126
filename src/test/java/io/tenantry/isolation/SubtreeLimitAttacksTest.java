package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's tenant_admin tries to read or set B's subtree limits (budget, children's cap, B's own cap, or remove them): every
 * attempt is refused with the answer for a tenant that does not exist, and B keeps none. Then A exhausts a subtree
 * budget of its own: B's requests are not charged to it — B's members are admitted under B's own limits.
 */
class SubtreeLimitAttacksTest extends AttackSuite {
  private static JsonObject rate(int rate, int burst) {
    return new JsonObject().put("rate", rate).put("burst", burst);
  }

  private static String path(String slug) {
    return "/admin/v1/tenants/" + slug + "/limits/subtree";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantAdminCannotReadOrSetAnotherTenantsSubtreeLimitsNorDrawOnItsBudget(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    String token = a.adminToken();
    Map<String, Function<String, HttpResponse<Buffer>>> attacks = new LinkedHashMap<>();
    attacks.put("read", slug -> world.ts.api.get(path(slug), token));
    for (String field : new String[] {"budget", "child_cap", "cap"}) {
      attacks.put("set " + field, slug -> put(token, slug, new JsonObject().put(field, rate(1, 1))));
      attacks.put("remove " + field, slug -> put(token, slug, new JsonObject().putNull(field)));
    }
    for (Map.Entry<String, Function<String, HttpResponse<Buffer>>> attack : attacks.entrySet()) {
      HttpResponse<Buffer> onB = attack.getValue().apply(b.slug());
      HttpResponse<Buffer> onNobody = attack.getValue().apply("no-such-" + p.slugPrefix());
      JsonObject refused = assertProblem(onB, 403);
      JsonObject unknown = assertProblem(onNobody, 403);
      assertThat(refused.getString("detail")).as(attack.getKey()).isEqualTo(unknown.getString("detail"));
      assertThat(new TreeSet<>(onB.headers().names())).as(attack.getKey()).isEqualTo(new TreeSet<>(onNobody.headers().names()));
      AttackWorld.assertNoLeak(onB, b);
    }
    JsonObject bLimits = world.ts.api.get(path(b.slug()), world.superAdmin).bodyAsJsonObject();
    assertThat(bLimits.getValue("budget")).isNull();
    assertThat(bLimits.getValue("child_cap")).isNull();
    assertThat(bLimits.getValue("cap")).isNull();

    // A's own budget, exhausted by A, is A's alone
    assertThat(put(token, a.slug(), new JsonObject().put("budget", rate(1, 3))).statusCode()).isEqualTo(200);
    int status = 200;
    for (int i = 0; i < 10 && status == 200; i++) {
      status = world.ts.api.get(AttackWorld.NOTES, a.memberToken()).statusCode();
    }
    assertThat(status).as("A's own budget refuses A").isEqualTo(429);
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> onB = world.ts.api.get(AttackWorld.NOTES, b.memberToken());
      assertThat(onB.statusCode()).as(onB.bodyAsString()).isEqualTo(200);
      assertThat(onB.getHeader("RateLimit-Limit")).as("B's own burst").isEqualTo("200");
    }
    world.assertUnchanged(b);
    assertThat(put(token, a.slug(), new JsonObject().putNull("budget")).statusCode()).isEqualTo(200);
  }

  private HttpResponse<Buffer> put(String token, String slug, JsonObject body) {
    return world.ts.api.send(world.ts.api.request(HttpMethod.PUT, path(slug), token), body);
  }
}
