package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's tenant_admin goes after B's collection schemas: declares, reads, lists and deletes them through every
 * spelling of B's admin path and with every tenant header naming B or A. Every attempt is refused without a
 * word of B's; B's schema is unchanged, B's writes are checked exactly as before, and A's own schema is in force.
 */
class CollectionSchemaAttacksTest extends AttackSuite {
  private static final String GUARDED = "/api/v1/collections/guarded/records";

  private static JsonObject requiring(String field, String description) {
    return new JsonObject().put("type", "object").put("required", new JsonArray().add(field))
      .put("description", description);
  }

  private static String schemaPath(String slugSpelling, String collection) {
    return "/admin/v1/tenants/" + slugSpelling + "/collections" + (collection == null ? "" : "/" + collection);
  }

  /** Ways of writing B's admin path: its slug, upper-cased, its id, percent-encoded, with a trailing dot. */
  private static List<String> spellings(Side b) {
    return List.of(b.slug(), b.slug().toUpperCase(java.util.Locale.ROOT), b.id().toString(),
      b.slug().replace("-", "%2D"), b.slug() + ".", b.slug() + "%20");
  }

  /** No header, or X-Tenant-ID / Host naming B or A. */
  private static List<String[]> headerSets(Side a, Side b) {
    return List.of(new String[0], new String[] {"X-Tenant-ID", b.slug()}, new String[] {"X-Tenant-ID", a.slug()},
      new String[] {"X-Tenant-ID", b.id().toString()}, new String[] {"Host", b.slug() + ".localhost"},
      new String[] {"Host", a.slug() + ".localhost"});
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String token, String[] header, JsonObject body) {
    HttpRequest<Buffer> request = world.ts.api.request(method, path, token);
    if (header.length == 2) {
      if (header[0].equals("Host")) {
        request.virtualHost(header[1]);
      } else {
        request.putHeader(header[0], header[1]);
      }
    }
    return body == null ? world.ts.api.send(request) : world.ts.api.send(request, body);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantAdminCannotDeclareReadListOrDeleteBsSchemas(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    JsonObject bSchema = requiring("title", b.secret());
    assertThat(world.ts.api.put(schemaPath(b.slug(), "guarded"), world.superAdmin,
      new JsonObject().put("schema", bSchema), null).statusCode()).isIn(200, 201);
    assertThat(world.ts.api.put(schemaPath(a.slug(), "guarded"), a.adminToken(),
      new JsonObject().put("schema", requiring("label", "a's own")), null).statusCode()).isIn(200, 201);

    JsonObject hostile = new JsonObject().put("schema", requiring("never-present", "hostile"));
    List<String> answers = new ArrayList<>();
    for (String spelling : spellings(b)) {
      for (String[] header : headerSets(a, b)) {
        List<HttpResponse<Buffer>> responses = List.of(
          send(HttpMethod.PUT, schemaPath(spelling, "guarded"), a.adminToken(), header, hostile),
          send(HttpMethod.PUT, schemaPath(spelling, "guarded") + "?force=true", a.adminToken(), header, hostile),
          send(HttpMethod.GET, schemaPath(spelling, "guarded"), a.adminToken(), header, null),
          send(HttpMethod.GET, schemaPath(spelling, null), a.adminToken(), header, null),
          send(HttpMethod.DELETE, schemaPath(spelling, "guarded"), a.adminToken(), header, null),
          send(HttpMethod.PUT, schemaPath(spelling, "fresh"), a.adminToken(), header, hostile));
        for (HttpResponse<Buffer> r : responses) {
          assertThat(r.statusCode()).as("%s with %s: %s", spelling, String.join("=", header), r.bodyAsString())
            .isIn(400, 403, 404);
          assertNoLeak(r, b);
          answers.add(r.statusCode() + " " + r.bodyAsJsonObject().getString("detail"));
        }
      }
    }
    // The slug itself, with any header, is refused as forbidden: B exists, but A's admin learns nothing more.
    assertThat(answers.get(0)).startsWith("403");

    // B's schema is exactly what the super-admin declared, and nothing was added to B.
    HttpResponse<Buffer> bList = world.ts.api.get(schemaPath(b.slug(), null), world.superAdmin);
    JsonArray items = bList.bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(1);
    assertThat(items.getJsonObject(0).getJsonObject("schema")).isEqualTo(bSchema);

    // B's writes are checked by B's schema only, as before.
    assertThat(world.ts.api.post(GUARDED, b.memberToken(), new JsonObject().put("title", "b's")).statusCode()).isEqualTo(201);
    assertThat(world.ts.api.post(GUARDED, b.memberToken(), new JsonObject().put("label", "b's")).statusCode()).isEqualTo(422);
    // A's own schema is in force for A.
    assertThat(world.ts.api.post(GUARDED, a.memberToken(), new JsonObject().put("label", "a's")).statusCode()).isEqualTo(201);
    assertThat(world.ts.api.post(GUARDED, a.memberToken(), new JsonObject().put("title", "a's")).statusCode()).isEqualTo(422);
    HttpResponse<Buffer> aOwn = world.ts.api.get(schemaPath(a.slug(), null), a.adminToken());
    assertThat(aOwn.statusCode()).isEqualTo(200);
    assertNoLeak(aOwn, b);
    world.assertUnchanged(a);
    world.assertUnchanged(b);
  }
}
