package io.tenantry.isolation;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant A's member goes after B through the gate itself: naming B in every way a request can (to spend B's rate
 * limit or learn about B), with paths the router normalizes, and with ambiguous tenant headers. Each is refused
 * before B is charged or described, and A's own data stays reachable.
 */
class GateAttacksTest extends AttackSuite {

  private HttpResponse<Buffer> listAs(String token, String path, String tenantHeader, String host) {
    return world.ts.api.getNaming(path, token, tenantHeader, host);
  }

  private void assertOwnNotes(Pairing p) {
    HttpResponse<Buffer> own = world.ts.api.get(NOTES, world.a(p).memberToken());
    assertThat(own.statusCode()).as(own.bodyAsString()).isEqualTo(200);
    assertThat(own.bodyAsJsonObject().getJsonArray("items")).hasSize(3);
    own.bodyAsJsonObject().getJsonArray("items").forEach(item ->
      assertThat(((JsonObject) item).getJsonObject("data").getString("owner")).isEqualTo(world.a(p).slug()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void namingBIsRefusedWithoutChargingOrDescribingB(Pairing p) {
    String a = world.a(p).memberToken();
    List<HttpResponse<Buffer>> refused = List.of(
      listAs(a, NOTES, world.b(p).slug(), null),
      listAs(a, NOTES, world.b(p).id().toString(), null),
      listAs(a, NOTES, null, world.b(p).slug() + ".localhost"),
      listAs(a, "/t/" + world.b(p).slug() + NOTES, null, null),
      listAs(a, NOTES, "no-such-tenant", null));
    String detail = null;
    for (HttpResponse<Buffer> r : refused) {
      JsonObject problem = assertProblem(r, 403);
      assertThat(r.headers().names()).noneMatch(name -> name.toLowerCase().startsWith("ratelimit"));
      assertThat(problem.getString("detail")).doesNotContain(world.b(p).slug()).doesNotContain("suspended");
      assertNoLeak(r, world.b(p));
      detail = detail == null ? problem.getString("detail") : detail;
      assertThat(problem.getString("detail")).as("the same answer for an existing and a missing tenant").isEqualTo(detail);
    }
    assertOwnNotes(p);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void normalizedPathsDoNotSlipPastTheGate(Pairing p) {
    String a = world.a(p).memberToken();
    for (String path : List.of("/" + NOTES, "/api/v1/./collections/notes/records", "/%61pi/v1/collections/notes/records",
      "/t/" + world.b(p).slug() + "/./api/v1/collections/notes/records")) {
      HttpResponse<Buffer> r = listAs(a, path, world.b(p).slug(), null);
      assertProblem(r, 403);
      assertNoLeak(r, world.b(p));
      assertProblem(listAs(null, path, world.b(p).slug(), null), 401);
    }
    assertOwnNotes(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantHeaderSentTwiceIsRefused(Pairing p) {
    HttpResponse<Buffer> r = world.ts.api.send(world.ts.api.request(HttpMethod.GET, NOTES, world.a(p).memberToken())
      .putHeaders(MultiMap.caseInsensitiveMultiMap().add("X-Tenant-ID", world.a(p).slug()).add("X-Tenant-ID", world.b(p).slug())));
    assertProblem(r, 400);
    assertNoLeak(r, world.b(p));
    assertOwnNotes(p);
  }
}
