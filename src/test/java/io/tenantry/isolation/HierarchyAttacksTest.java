package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
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
 * A's tenant_admin tries to administer B — neither A nor below A — through every hierarchy route, and by moving B
 * under A (or A's child under B), and by renaming B. Every attempt is refused with the answer given for a tenant that does not exist,
 * reveals nothing of B, and leaves B and A's own tree as they were.
 */
class HierarchyAttacksTest extends AttackSuite {
  private static final String TENANTS = "/admin/v1/tenants/";

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantAdminCannotAdministerATenantOutsideItsSubtree(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    String kid = p.slugPrefix() + "-a-kid";
    HttpResponse<Buffer> created = world.ts.api.post("/admin/v1/tenants", a.adminToken(),
      new JsonObject().put("slug", kid).put("name", kid).put("parent", a.slug()));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String bName = world.ts.api.get(TENANTS + b.slug(), world.superAdmin).bodyAsJsonObject().getString("name");

    for (Map.Entry<String, Function<String, HttpResponse<Buffer>>> attack : attacks(a, kid).entrySet()) {
      HttpResponse<Buffer> onB = attack.getValue().apply(b.slug());
      HttpResponse<Buffer> onNobody = attack.getValue().apply("no-such-" + p.slugPrefix());
      JsonObject refused = assertProblem(onB, 403);
      JsonObject unknown = assertProblem(onNobody, 403);
      assertThat(refused.getString("detail")).as(attack.getKey()).isEqualTo(unknown.getString("detail"));
      assertThat(refused.getString("type")).as(attack.getKey()).isEqualTo(unknown.getString("type"));
      assertThat(new TreeSet<>(onB.headers().names())).as(attack.getKey()).isEqualTo(new TreeSet<>(onNobody.headers().names()));
      AttackWorld.assertNoLeak(onB, b);
    }

    JsonObject bNow = world.ts.api.get(TENANTS + b.slug(), world.superAdmin).bodyAsJsonObject();
    assertThat(bNow.getString("parent")).isNull();
    assertThat(bNow.getString("status")).isEqualTo("active");
    assertThat(bNow.getString("name")).isEqualTo(bName);
    assertThat(items(world.ts.api.get(TENANTS + b.slug() + "/children", world.superAdmin))).isEmpty();
    world.assertUnchanged(b);

    JsonArray own = items(world.ts.api.get(TENANTS + a.slug() + "/children", a.adminToken()));
    assertThat(own).hasSize(1);
    assertThat(own.getJsonObject(0).getString("slug")).isEqualTo(kid);
    assertThat(own.getJsonObject(0).getString("parent")).isEqualTo(a.slug());
    assertThat(items(world.ts.api.get(TENANTS + a.slug() + "/descendants", a.adminToken()))).hasSize(1);
    world.assertUnchanged(a);
  }

  /** Each attack by A's admin on the tenant named by the argument. */
  private Map<String, Function<String, HttpResponse<Buffer>>> attacks(Side a, String kid) {
    String token = a.adminToken();
    Map<String, Function<String, HttpResponse<Buffer>>> attacks = new LinkedHashMap<>();
    attacks.put("read", slug -> world.ts.api.get(TENANTS + slug, token));
    attacks.put("children", slug -> world.ts.api.get(TENANTS + slug + "/children", token));
    attacks.put("descendants", slug -> world.ts.api.get(TENANTS + slug + "/descendants", token));
    attacks.put("ancestors", slug -> world.ts.api.get(TENANTS + slug + "/ancestors", token));
    attacks.put("create a child under it", slug -> world.ts.api.post("/admin/v1/tenants", token,
      new JsonObject().put("slug", slug + "-implant").put("name", "implant").put("parent", slug)));
    attacks.put("move it under A", slug -> world.ts.api.post(TENANTS + slug + "/move", token,
      new JsonObject().put("parent", a.slug())));
    attacks.put("move it under A's child", slug -> world.ts.api.post(TENANTS + slug + "/move", token,
      new JsonObject().put("parent", kid)));
    attacks.put("move A's child under it", slug -> world.ts.api.post(TENANTS + kid + "/move", token,
      new JsonObject().put("parent", slug)));
    attacks.put("suspend", slug -> world.ts.api.post(TENANTS + slug + "/suspend", token, new JsonObject()));
    attacks.put("resume", slug -> world.ts.api.post(TENANTS + slug + "/resume", token, new JsonObject()));
    attacks.put("invite", slug -> world.ts.api.post(TENANTS + slug + "/users", token,
      new JsonObject().put("email", "mole@" + a.slug() + ".test").put("role", "tenant_admin")));
    attacks.put("rename", slug -> world.ts.api.send(world.ts.api.request(io.vertx.core.http.HttpMethod.PATCH,
      TENANTS + slug, token), new JsonObject().put("name", "Renamed by A")));
    attacks.put("delete", slug -> world.ts.api.delete(TENANTS + slug, token, null));
    return attacks;
  }

  private static JsonArray items(HttpResponse<Buffer> page) {
    assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
    return page.bodyAsJsonObject().getJsonArray("items");
  }
}
