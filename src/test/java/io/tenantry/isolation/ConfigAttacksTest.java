package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A's tenant_admin goes after B's configuration through every path and every way of naming B (slug, id, header,
 * host, path prefix), and A's member tries to read B's effective configuration on the data plane with B named.
 * Every attempt is refused without revealing B's values; B's configuration is unchanged and A's own is intact.
 */
class ConfigAttacksTest extends AttackSuite {
  private static String brand(Side side) {
    return "brand-of-" + side.slug();
  }

  private HttpResponse<Buffer> put(String path, String token, Object value, Function<HttpRequest<Buffer>, HttpRequest<Buffer>> how) {
    return world.ts.api.send(how.apply(world.ts.api.request(HttpMethod.PUT, path, token)), new JsonObject().put("value", value));
  }

  private HttpResponse<Buffer> call(HttpMethod method, String path, String token,
                                    Function<HttpRequest<Buffer>, HttpRequest<Buffer>> how) {
    return world.ts.api.send(how.apply(world.ts.api.request(method, path, token)));
  }

  private void configure(Side side) {
    String base = "/admin/v1/tenants/" + side.slug() + "/config/";
    assertThat(put(base + "branding.display_name", side.adminToken(), brand(side), r -> r).statusCode()).isEqualTo(200);
    assertThat(put(base + "features.beta_dashboard", side.adminToken(), true, r -> r).statusCode()).isEqualTo(200);
  }

  private JsonObject ownValues(Side side) {
    HttpResponse<Buffer> r = world.ts.api.get("/admin/v1/tenants/" + side.slug() + "/config", world.superAdmin);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonObject("values");
  }

  private static JsonObject expected(Side side) {
    return new JsonObject().put("branding.display_name", brand(side)).put("features.beta_dashboard", true);
  }

  /** The ways a request can name B besides the path: none, B's header, B's host, both. */
  private List<Function<HttpRequest<Buffer>, HttpRequest<Buffer>>> namings(Side b) {
    String host = b.slug() + "." + world.ts.config.baseDomain();
    return List.of(
      r -> r,
      r -> r.putHeader("X-Tenant-ID", b.slug()),
      r -> r.putHeader("X-Tenant-ID", b.id().toString()),
      r -> r.virtualHost(host),
      r -> r.putHeader("X-Tenant-ID", b.slug()).virtualHost(host));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantAdminCannotReadOrChangeAnotherTenantsConfig(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    configure(a);
    configure(b);
    List<String> tenantPaths = List.of("/admin/v1/tenants/" + b.slug(), "/admin/v1/tenants/" + b.id(),
      "/admin/v1/tenants/" + b.slug().toUpperCase(java.util.Locale.ROOT), "/t/" + b.slug() + "/admin/v1/tenants/" + b.slug(),
      "/admin/v1/tenants/" + a.slug() + "/../" + b.slug());
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    // the data plane's own-user routes with no tenant named but the token's: they may succeed, on A only
    List<HttpResponse<Buffer>> ownUser = new ArrayList<>();
    var ways = namings(b);
    for (var naming : ways) {
      for (String tenant : tenantPaths) {
        answers.add(call(HttpMethod.GET, tenant + "/config", a.adminToken(), naming));
        answers.add(call(HttpMethod.GET, tenant + "/config/effective", a.adminToken(), naming));
        answers.add(put(tenant + "/config/branding.display_name", a.adminToken(), "pwned", naming));
        answers.add(put(tenant + "/config/users.allowed_email_domains", a.adminToken(),
          new io.vertx.core.json.JsonArray().add("attacker.example"), naming));
        answers.add(call(HttpMethod.DELETE, tenant + "/config/features.beta_dashboard", a.adminToken(), naming));
      }
      List<HttpResponse<Buffer>> dataPlane = naming == ways.get(0) ? ownUser : answers;
      dataPlane.add(put("/api/v1/config/locale", a.adminToken(), "fr", naming));
      dataPlane.add(call(HttpMethod.DELETE, "/api/v1/config/locale", a.adminToken(), naming));
      dataPlane.add(call(HttpMethod.GET, "/api/v1/config", a.adminToken(), naming));
    }
    answers.add(put("/t/" + b.slug() + "/api/v1/config/locale", a.adminToken(), "fr", r -> r));
    answers.add(call(HttpMethod.GET, "/t/" + b.slug() + "/api/v1/config", a.adminToken(), r -> r));
    for (HttpResponse<Buffer> r : answers) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isIn(400, 403, 404);
      assertNoLeak(r, b);
      assertThat(r.bodyAsString() == null ? "" : r.bodyAsString()).doesNotContain(brand(b));
    }
    for (HttpResponse<Buffer> r : ownUser) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isIn(200, 204);
      assertNoLeak(r, b);
      assertThat(r.bodyAsString() == null ? "" : r.bodyAsString()).doesNotContain(brand(b));
    }
    assertThat(ownValues(b)).isEqualTo(expected(b));
    assertThat(userLocale(b)).isEqualTo("en");
    assertThat(ownValues(a)).isEqualTo(expected(a));
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aMemberCannotReadAnotherTenantsEffectiveConfig(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    configure(a);
    configure(b);
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (var naming : namings(b).subList(1, namings(b).size())) {
      answers.add(call(HttpMethod.GET, "/api/v1/config", a.memberToken(), naming));
      answers.add(put("/api/v1/config/locale", a.memberToken(), "fr", naming));
    }
    answers.add(call(HttpMethod.GET, "/t/" + b.slug() + "/api/v1/config", a.memberToken(), r -> r));
    answers.add(call(HttpMethod.GET, "/t/" + b.id() + "/api/v1/config", a.memberToken(), r -> r));
    for (HttpResponse<Buffer> r : answers) {
      assertThat(r.statusCode()).as(r.bodyAsString()).isIn(400, 403, 404);
      assertNoLeak(r, b);
      assertThat(r.bodyAsString()).doesNotContain(brand(b));
    }
    assertThat(ownValues(b)).isEqualTo(expected(b));
    HttpResponse<Buffer> own = world.ts.api.get("/api/v1/config", a.memberToken());
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.bodyAsJsonObject().getJsonObject("settings").getJsonObject("branding.display_name").getString("value"))
      .isEqualTo(brand(a));
    assertThat(own.bodyAsJsonObject().getString("tenant")).isEqualTo(a.slug());
    world.assertUnchanged(b);
  }

  private String userLocale(Side side) {
    return world.ts.api.get("/api/v1/config", side.memberToken()).bodyAsJsonObject().getJsonObject("settings")
      .getJsonObject("locale").getString("value");
  }
}
