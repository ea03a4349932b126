package io.tenantry.isolation;

import io.tenantry.support.Api;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant A holds an API key with every scope; it names tenant B every way a request can, and reaches for B's keys
 * through A's own admin routes. None of it may reach B, and A's own notes stay listed through its key.
 */
class ApiKeyAttacksTest extends AttackSuite {
  private static final JsonArray ALL_SCOPES =
    new JsonArray().add("records:read").add("records:write").add("files:read").add("files:write").add("admin");

  private JsonObject key(Side side) {
    HttpResponse<Buffer> r = world.ts.api.post("/admin/v1/tenants/" + side.slug() + "/api-keys", side.adminToken(),
      new JsonObject().put("name", "attack").put("scopes", ALL_SCOPES));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String key, String header, String host) {
    HttpRequest<Buffer> request = world.ts.api.request(method, path, null).putHeader("Authorization", "ApiKey " + key);
    return world.ts.api.send(Api.naming(request, header, host));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aKeyOfANamingBIsRefusedEveryWay(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    String key = key(a).getString("secret");
    refused(p, send(HttpMethod.GET, NOTES, key, b.slug(), null), 403);
    refused(p, send(HttpMethod.GET, NOTES, key, b.id().toString(), null), 403);
    refused(p, send(HttpMethod.GET, NOTES, key, null, b.slug() + ".localhost"), 403);
    refused(p, send(HttpMethod.GET, "/t/" + b.slug() + NOTES, key, null, null), 403);
    refused(p, send(HttpMethod.GET, NOTES + "/" + b.noteIds().get(0), key, b.slug(), null), 403);
    refused(p, send(HttpMethod.DELETE, "/t/" + b.slug() + NOTES + "/" + b.noteIds().get(0), key, null, null), 403);
    refused(p, send(HttpMethod.GET, NOTES + "/" + b.noteIds().get(0), key, null, null), 404);
    refused(p, send(HttpMethod.GET, "/admin/v1/tenants/" + b.slug() + "/api-keys", key, null, null), 403);
    refused(p, send(HttpMethod.GET, "/admin/v1/tenants/" + b.slug(), key, null, null), 403);

    world.assertOnlyOwn(send(HttpMethod.GET, NOTES + "?limit=500", key, null, null), a);
    world.assertOnlyOwn(send(HttpMethod.GET, NOTES + "?limit=500", key, a.slug(), null), a);
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void bsKeyIdsInAsAdminRoutesFindNothing(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    JsonObject bKey = key(b);
    String aKey = key(a).getString("secret");
    String aKeys = "/admin/v1/tenants/" + a.slug() + "/api-keys";

    refused(p, world.ts.api.delete(aKeys + "/" + bKey.getString("id"), a.adminToken(), null), 404);
    refused(p, send(HttpMethod.DELETE, aKeys + "/" + bKey.getString("id"), aKey, null, null), 404);
    HttpResponse<Buffer> listed = world.ts.api.get(aKeys, a.adminToken());
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.bodyAsString()).doesNotContain(bKey.getString("id"));
    assertNoLeak(listed, b);

    // B's key still works, on B only
    world.assertOnlyOwn(send(HttpMethod.GET, NOTES + "?limit=500", bKey.getString("secret"), null, null), b);
    world.assertOnlyOwn(send(HttpMethod.GET, NOTES + "?limit=500", aKey, null, null), a);
    world.assertUnchanged(b);
  }
}
