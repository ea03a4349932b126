package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.isolation.AttackWorld.OTHER;
import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Tenant A, with its own valid token, goes after tenant B's records through every records route. */
class RecordRouteAttacksTest extends AttackSuite {
  /** Where the mass-assignment attempts write, so their (deliberately hostile) data stays out of the notes. */
  private static final String INTRUSION = "/api/v1/collections/intrusion/records";
  private static String cursor(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void readBRecordById(Pairing p) {
    for (String id : world.b(p).noteIds()) {
      HttpResponse<Buffer> r = world.ts.api.get(NOTES + "/" + id, world.a(p).memberToken());
      assertProblem(r, 404);
      assertNoLeak(r, world.b(p));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void readBRecordUnderAnotherCollectionName(Pairing p) {
    assertProblem(world.ts.api.get(NOTES + "/" + world.b(p).otherId(), world.a(p).memberToken()), 404);
    assertProblem(world.ts.api.get(OTHER + "/" + world.b(p).noteIds().get(0), world.a(p).memberToken()), 404);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void replaceBRecord(Pairing p) {
    HttpResponse<Buffer> r = world.ts.api.put(NOTES + "/" + world.b(p).noteIds().get(0), world.a(p).memberToken(),
      new JsonObject().put("owner", "attacker"), null);
    assertProblem(r, 404);
    assertNoLeak(r, world.b(p));
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void replaceBRecordWithIfMatchStar(Pairing p) {
    assertProblem(world.ts.api.put(NOTES + "/" + world.b(p).noteIds().get(1), world.a(p).memberToken(),
      new JsonObject().put("owner", "attacker"), "*"), 404);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void patchBRecord(Pairing p) {
    HttpResponse<Buffer> r = world.ts.api.patch(NOTES + "/" + world.b(p).noteIds().get(2), world.a(p).memberToken(),
      new JsonObject().put("secret", null), "\"1\"");
    assertProblem(r, 404);
    assertNoLeak(r, world.b(p));
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void deleteBRecord(Pairing p) {
    for (String id : world.b(p).noteIds()) {
      assertProblem(world.ts.api.delete(NOTES + "/" + id, world.a(p).memberToken(), null), 404);
    }
    assertProblem(world.ts.api.delete(OTHER + "/" + world.b(p).otherId(), world.a(p).adminToken(), "*"), 404);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void listNeverContainsBRows(Pairing p) {
    HttpResponse<Buffer> r = world.ts.api.get(NOTES + "?limit=500", world.a(p).memberToken());
    world.assertOnlyOwn(r, world.a(p));
    assertNoLeak(r, world.b(p));
    assertNoLeak(world.ts.api.get(OTHER + "?limit=500", world.a(p).memberToken()), world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void cursorMadeByBUsedByA(Pairing p) {
    String bCursor = world.ts.api.get(NOTES + "?limit=1", world.b(p).memberToken()).bodyAsJsonObject().getString("next_cursor");
    assertThat(bCursor).isNotNull();
    // a cursor is signed for its tenant, collection and sort: another tenant's is refused, not followed
    HttpResponse<Buffer> r = world.ts.api.get(NOTES + "?limit=500&cursor=" + bCursor, world.a(p).memberToken());
    assertProblem(r, 400);
    assertNoLeak(r, world.b(p));
    assertThat(world.assertOnlyOwn(world.ts.api.get(NOTES + "?limit=500", world.a(p).memberToken()), world.a(p), null))
      .as("A's own list still answers").isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void forgedCursorPointingAtTheStartOfAllRows(Pairing p) {
    String forged = cursor("records:notes|00000000-0000-0000-0000-000000000000");
    HttpResponse<Buffer> r = world.ts.api.get(NOTES + "?limit=500&cursor=" + forged, world.a(p).memberToken());
    assertProblem(r, 400); // an unsigned cursor is refused
    assertNoLeak(r, world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void forgedCursorForAnotherCollection(Pairing p) {
    assertProblem(world.ts.api.get(NOTES + "?cursor=" + cursor("records:other|" + world.b(p).otherId()),
      world.a(p).memberToken()), 400);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void garbageCursor(Pairing p) {
    for (String bad : List.of("%00", "not-base64!", cursor("records:notes|"), cursor("records:notes|" + "z".repeat(36)))) {
      assertProblem(world.ts.api.get(NOTES + "?cursor=" + bad, world.a(p).memberToken()), 400);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void massAssignedTenantIdIsJustData(Pairing p) {
    JsonObject body = new JsonObject().put("owner", world.a(p).slug()).put("tenant_id", world.b(p).id().toString());
    HttpResponse<Buffer> created = world.ts.api.post(INTRUSION, world.a(p).memberToken(), body);
    assertThat(created.statusCode()).isEqualTo(201);
    String id = created.bodyAsJsonObject().getString("id");
    assertThat(world.ts.api.get(INTRUSION + "/" + id, world.a(p).memberToken()).statusCode()).isEqualTo(200);
    assertProblem(world.ts.api.get(INTRUSION + "/" + id, world.b(p).memberToken()), 404);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void massAssignedIdAndVersionAreIgnored(Pairing p) {
    String bId = world.b(p).noteIds().get(0);
    JsonObject body = new JsonObject().put("owner", world.a(p).slug()).put("id", bId).put("version", 42);
    JsonObject created = world.ts.api.post(INTRUSION, world.a(p).memberToken(), body).bodyAsJsonObject();
    assertThat(created.getString("id")).isNotEqualTo(bId);
    assertThat(created.getLong("version")).isEqualTo(1L);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void replacingOwnRecordWithBTenantIdDoesNotMoveIt(Pairing p) {
    String id = world.ts.api.post(INTRUSION, world.a(p).memberToken(), new JsonObject().put("owner", world.a(p).slug()))
      .bodyAsJsonObject().getString("id");
    JsonObject hostile = new JsonObject().put("owner", world.a(p).slug()).put("tenant_id", world.b(p).id().toString());
    assertThat(world.ts.api.put(INTRUSION + "/" + id, world.a(p).memberToken(), hostile, null).statusCode()).isEqualTo(200);
    assertThat(world.ts.api.patch(INTRUSION + "/" + id, world.a(p).memberToken(),
      new JsonObject().put("tenant_id", world.b(p).id().toString()), null).statusCode()).isEqualTo(200);
    assertProblem(world.ts.api.get(INTRUSION + "/" + id, world.b(p).memberToken()), 404);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void errorDetailsNeverNameB(Pairing p) {
    String id = world.b(p).noteIds().get(0);
    List<HttpResponse<Buffer>> answers = List.of(
      world.ts.api.get(NOTES + "/" + id, world.a(p).memberToken()),
      world.ts.api.put(NOTES + "/" + id, world.a(p).memberToken(), new JsonObject(), "\"1\""),
      world.ts.api.delete(NOTES + "/" + id, world.a(p).memberToken(), "\"7\""));
    answers.forEach(r -> assertNoLeak(r, world.b(p)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void readOnlyOrForeignRolesCannotWriteB(Pairing p) {
    var write = world.ts.api.request(HttpMethod.POST, NOTES, world.a(p).adminToken()).putHeader("X-Tenant-ID", world.b(p).slug());
    assertProblem(world.ts.api.send(write, new JsonObject().put("owner", "attacker")), 403);
    world.assertUnchanged(world.b(p));
  }
}
