package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /admin/v1/queries, the one route that reads many tenants' records in one request: A's tenant_admin cannot
 * run it at all (not even over A), and a super-admin's query of A, whatever its filter, reads A's rows only — the
 * filter is a jsonb value inside A's own tenant statement, in every tier.
 */
class CrossTenantQueryAttacksTest extends AttackSuite {
  private static final String QUERIES = "/admin/v1/queries";

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantAdminCannotRunAFanOut(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    for (JsonObject target : List.of(
      new JsonObject().put("tenants", new JsonArray().add(b.slug())),
      new JsonObject().put("tenants", new JsonArray().add(a.slug()).add(b.slug())),
      new JsonObject().put("tenants", new JsonArray().add(a.slug())),
      new JsonObject().put("subtree", a.slug()),
      new JsonObject().put("all", true))) {
      for (String token : List.of(a.adminToken(), a.memberToken())) {
        HttpResponse<Buffer> refused = world.ts.api.post(QUERIES, token, target.copy().put("collection", "notes"));
        assertProblem(refused, 403);
        AttackWorld.assertNoLeak(refused, b);
      }
    }
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aFilterCannotReachBeyondItsTenant(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    for (JsonObject filter : List.of(
      new JsonObject().put("owner", b.slug()),
      new JsonObject().put("secret", b.secret()),
      new JsonObject().put("tenant_id", b.id().toString()),
      new JsonObject().put("owner", b.slug() + "' OR true --"))) {
      HttpResponse<Buffer> answer = query(new JsonObject().put("tenants", new JsonArray().add(a.slug())).put("filter", filter));
      AttackWorld.assertNoLeak(answer, b);
      assertThat(records(answer, a)).isEmpty();
    }
    HttpResponse<Buffer> own = query(new JsonObject().put("tenants", new JsonArray().add(a.slug())));
    AttackWorld.assertNoLeak(own, b);
    assertThat(records(own, a)).containsExactlyElementsOf(a.noteIds());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void eachTenantsLinesCarryOnlyItsOwnRecords(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    HttpResponse<Buffer> answer = query(new JsonObject().put("tenants", new JsonArray().add(a.slug()).add(b.slug())));
    assertThat(records(answer, a)).containsExactlyElementsOf(a.noteIds());
    assertThat(records(answer, b)).containsExactlyElementsOf(b.noteIds());
  }

  private HttpResponse<Buffer> query(JsonObject body) {
    HttpResponse<Buffer> answer = world.ts.api.post(QUERIES, world.superAdmin, body.put("collection", "notes"));
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer;
  }

  /** The ids on the owner's record lines, each record checked to hold the owner's own data. */
  private static List<String> records(HttpResponse<Buffer> answer, Side owner) {
    List<String> ids = new ArrayList<>();
    for (String text : answer.bodyAsString().split("\n")) {
      JsonObject line = new JsonObject(text);
      assertThat(line.containsKey("error")).as(text).isFalse();
      if (line.containsKey("record") && line.getString("tenant").equals(owner.slug())) {
        JsonObject data = line.getJsonObject("record").getJsonObject("data");
        assertThat(data.getString("owner")).isEqualTo(owner.slug());
        assertThat(data.getString("secret")).isEqualTo(owner.secret());
        ids.add(line.getJsonObject("record").getString("id"));
      }
    }
    return ids;
  }
}
