package io.tenantry.isolation;

import io.tenantry.support.Await;
import io.tenantry.support.HostileJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant A's member submits records that could not be read back (nested near Jackson's limit, numbers beyond a
 * double, unpaired surrogates, invalid UTF-8, comments, duplicate keys, U+0000): each is refused with 400 and
 * nothing is stored, so neither A's own collection nor B's can be poisoned — A still lists its notes, B is untouched.
 */
class PoisonRecordAttacksTest extends AttackSuite {
  private HttpResponse<Buffer> send(HttpMethod method, String path, String token, String contentType, Buffer body,
                                    String tenantHeader) {
    HttpRequest<Buffer> request = world.ts.api.request(method, path, token).putHeader("Content-Type", contentType);
    if (tenantHeader != null) {
      request.putHeader("X-Tenant-ID", tenantHeader);
    }
    return Await.result(request.sendBuffer(body), 30);
  }

  /** A's own notes, all three and untouched, listed promptly by A; B's likewise. */
  private void bothStillServed(Pairing p) {
    world.assertUnchanged(world.a(p));
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void poisonedCreates(Pairing p) {
    HostileJson.bodies().forEach((detail, body) -> {
      HttpResponse<Buffer> r = send(HttpMethod.POST, NOTES, world.a(p).memberToken(), "application/json", body, null);
      assertThat(assertProblem(r, 400).getString("detail")).as(detail).contains(detail);
      assertNoLeak(r, world.b(p));
    });
    bothStillServed(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void poisonedReplacesOfOwnNote(Pairing p) {
    String own = NOTES + "/" + world.a(p).noteIds().get(0);
    HostileJson.bodies().forEach((detail, body) -> assertThat(assertProblem(
      send(HttpMethod.PUT, own, world.a(p).memberToken(), "application/json", body, null), 400).getString("detail"))
      .as(detail).contains(detail));
    bothStillServed(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void poisonedMergePatchesOfOwnNote(Pairing p) {
    String own = NOTES + "/" + world.a(p).noteIds().get(1);
    HostileJson.bodies().forEach((detail, body) -> assertThat(assertProblem(
      send(HttpMethod.PATCH, own, world.a(p).memberToken(), "application/merge-patch+json", body, null), 400)
      .getString("detail")).as(detail).contains(detail));
    bothStillServed(p);
  }

  /**
   * Aimed at B's ids, or naming B, the poison is refused for what it is and reveals nothing of B (U+0000, refused
   * by PostgreSQL when a write runs, is not: such a write of B's id is the 404 of RecordRouteAttacksTest).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void poisonedWritesAimedAtB(Pairing p) {
    String bNote = NOTES + "/" + world.b(p).noteIds().get(2);
    HostileJson.refusedBeforeRouting().forEach((detail, body) -> {
      for (HttpResponse<Buffer> r : java.util.List.of(
        send(HttpMethod.PUT, bNote, world.a(p).memberToken(), "application/json", body, null),
        send(HttpMethod.PATCH, bNote, world.a(p).memberToken(), "application/merge-patch+json", body, null))) {
        assertProblem(r, 400);
        assertNoLeak(r, world.b(p));
      }
      // Naming B is refused by the gate before the body is read at all.
      HttpResponse<Buffer> named = send(HttpMethod.POST, NOTES, world.a(p).memberToken(), "application/json", body, world.b(p).slug());
      assertProblem(named, 403);
      assertNoLeak(named, world.b(p));
    });
    bothStillServed(p);
  }

  /** Merge patch is not validated against the contract's media types: a JSON body sent as text is not read at all. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void poisonedMergePatchUnderAnotherMediaType(Pairing p) {
    String own = NOTES + "/" + world.a(p).noteIds().get(2);
    HostileJson.bodies().values().forEach(body -> assertProblem(
      send(HttpMethod.PATCH, own, world.a(p).memberToken(), "text/plain", body, null), 415));
    bothStillServed(p);
  }
}
