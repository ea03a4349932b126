package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL and tenant-context changes through every part of a record query — filter paths, operators, values, sort keys,
 * projections, cursors — and through the collection-index routes: refused by the grammar (400) or bound as values
 * that match nothing of anyone else's, never another tenant's rows, and nothing stored changes.
 */
class QueryAttacksTest extends AttackSuite {
  private static final List<String> PAYLOADS = List.of(
    "x' OR '1'='1",
    "x'; DROP TABLE shared.records; --",
    "x\"; SET ROLE postgres; --",
    "x'); SELECT set_config('app.tenant_id', NULL, false); --",
    "x'; RESET ALL; --",
    "x' UNION SELECT * FROM shared.records --",
    "x\\'; --",
    "a}', data) OR true OR ('{a",
    "a,b}'::text[]) IS NOT NULL OR ('{");

  /** The machine these run on is often busy: the world's first connections may take seconds. */
  @Override
  @org.junit.jupiter.api.BeforeAll
  void createWorld() {
    world = AttackWorld.create(java.util.Map.of("db.connect-timeout-ms", "30000", "tenancy.queue-timeout-ms", "30000"));
  }

  private static String q(String name, String value) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "="
      + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private HttpResponse<Buffer> list(Pairing p, String... params) {
    return world.ts.api.get(NOTES + "?" + String.join("&", params), world.a(p).memberToken());
  }

  /** A's own notes are still all there, B's untouched. */
  private void assertIntact(Pairing p) {
    world.assertUnchanged(world.b(p));
    world.assertOnlyOwn(world.ts.api.get(NOTES + "?limit=500", world.a(p).memberToken()), world.a(p));
  }

  /** A 200 answer holds only the caller's own notes; anything else is a refusal. Neither tells anything of B. */
  private void ownOrRefused(Pairing p, HttpResponse<Buffer> r) {
    assertNoLeak(r, world.b(p));
    if (r.statusCode() == 200) {
      JsonArray items = r.bodyAsJsonObject().getJsonArray("items");
      items.forEach(item -> assertThat(((JsonObject) item).getJsonObject("data").getString("owner")).isEqualTo(world.a(p).slug()));
    } else {
      assertProblem(r, r.statusCode());
      assertThat(r.statusCode()).isIn(400, 422);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void fieldPathAndOperatorInjectionIsRefusedByTheGrammar(Pairing p) {
    for (String payload : PAYLOADS) {
      refused(p, list(p, q("filter[" + payload + "]", "x")), 400);
      refused(p, list(p, q("filter[owner][" + payload + "]", "x")), 400);
      refused(p, list(p, q("filter[owner." + payload + "][eq]", "x")), 400);
      refused(p, list(p, q("sort", payload)), 400);
      refused(p, list(p, q("sort", "-" + payload)), 400);
      refused(p, list(p, q("fields", "owner," + payload)), 400);
    }
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void valueInjectionIsBoundAndMatchesNothing(Pairing p) {
    for (String payload : PAYLOADS) {
      for (String op : List.of("eq", "gt", "lte", "prefix", "in")) {
        HttpResponse<Buffer> r = list(p, q("filter[owner][" + op + "]", payload));
        ownOrRefused(p, r);
        if (r.statusCode() == 200 && !op.equals("gt") && !op.equals("lte")) {
          assertThat(r.bodyAsJsonObject().getJsonArray("items")).as(op + " " + payload).isEmpty();
        }
      }
      ownOrRefused(p, list(p, q("filter[owner][contains]", new JsonObject().put(payload, payload).encode())));
      ownOrRefused(p, list(p, q("filter[owner][in]", new JsonArray().add(payload).add(world.b(p).slug()).encode())));
    }
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void filteringForTheVictimsValuesFindsNothingButOwnFiltersFindOwnNotes(Pairing p) {
    HttpResponse<Buffer> bySecret = list(p, q("filter[secret]", world.b(p).secret()));
    assertThat(bySecret.statusCode()).isEqualTo(200);
    assertThat(bySecret.bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertNoLeak(bySecret, world.b(p));
    HttpResponse<Buffer> byOwner = list(p, q("filter[owner][in]", world.a(p).slug() + "," + world.b(p).slug()),
      q("sort", "-n"), "count=true", "limit=500");
    assertNoLeak(byOwner, world.b(p));
    JsonObject body = byOwner.bodyAsJsonObject();
    List<String> ids = body.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")).toList();
    assertThat(ids).containsAll(world.a(p).noteIds());
    body.getJsonArray("items").forEach(i -> assertThat(((JsonObject) i).getJsonObject("data").getString("owner"))
      .isEqualTo(world.a(p).slug()));
    assertThat(body.getJsonObject("count").getLong("value")).isEqualTo((long) ids.size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aCursorOfOneTenantIsRefusedInAnother(Pairing p) {
    String cursor = list(p, q("sort", "n"), "limit=1").bodyAsJsonObject().getString("next_cursor");
    assertThat(cursor).isNotNull();
    HttpResponse<Buffer> asB = world.ts.api.get(NOTES + "?" + q("sort", "n") + "&limit=1&" + q("cursor", cursor),
      world.b(p).memberToken());
    assertProblem(asB, 400);
    // A cursor assembled by hand (B's record id as the position) carries no valid signature.
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new JsonObject()
      .put("i", world.b(p).noteIds().get(0)).put("k", "0").encode().getBytes(StandardCharsets.UTF_8)) + "."
      + cursor.substring(cursor.indexOf('.') + 1);
    refused(p, list(p, q("sort", "n"), q("cursor", forged)), 400);
    for (String payload : PAYLOADS) {
      refused(p, list(p, q("sort", "n"), q("cursor", payload)), 400);
      refused(p, list(p, q("cursor", Base64.getUrlEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "." + payload)), 400);
    }
    assertIntact(p);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void collectionIndexRoutesRefuseOtherTenantsAndHostileFields(Pairing p) {
    String victim = "/admin/v1/tenants/" + world.b(p).slug() + "/collections/notes/indexes/n";
    refused(p, world.ts.api.put(victim, world.a(p).adminToken(), new JsonObject().put("field", "n"), null), 403);
    refused(p, world.ts.api.get("/admin/v1/tenants/" + world.b(p).slug() + "/collections/notes/indexes",
      world.a(p).adminToken()), 403);
    refused(p, world.ts.api.delete(victim, world.a(p).adminToken(), null), 403);
    String own = "/admin/v1/tenants/" + world.a(p).slug() + "/collections/notes/indexes/";
    for (String payload : PAYLOADS) {
      refused(p, world.ts.api.put(own + "n", world.a(p).adminToken(), new JsonObject().put("field", payload), null), 400);
      refused(p, world.ts.api.put(own + URLEncoder.encode(payload, StandardCharsets.UTF_8).replace("+", "%20"),
        world.a(p).adminToken(), new JsonObject().put("field", "n"), null), 400);
    }
    assertIntact(p);
  }
}
