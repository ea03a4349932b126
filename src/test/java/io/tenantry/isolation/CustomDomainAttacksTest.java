package io.tenantry.isolation;

import io.tenantry.support.Await;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant A goes after B through B's custom domain: A's member names B by B's host (HTTP/1 Host and HTTP/2
 * :authority), and A's tenant_admin tries to map a domain to B, to claim B's domain for A, or to remove it. All are
 * refused; B's mapping and records stay as they were, and A's own notes are still listed.
 */
class CustomDomainAttacksTest extends AttackSuite {

  private String victimDomain(Pairing p) {
    String host = world.b(p).slug() + ".victim.example";
    HttpResponse<Buffer> mapped = world.ts.api.put("/admin/v1/tenants/" + world.b(p).slug() + "/domains/" + host,
      world.superAdmin, new JsonObject(), null);
    assertThat(mapped.statusCode()).as(mapped.bodyAsString()).isIn(200, 201);
    return host;
  }

  private void assertOwnNotes(Pairing p) {
    HttpResponse<Buffer> own = world.ts.api.get(NOTES, world.a(p).memberToken());
    assertThat(own.statusCode()).as(own.bodyAsString()).isEqualTo(200);
    assertThat(own.bodyAsJsonObject().getJsonArray("items")).hasSize(3);
  }

  private List<String> domainsOf(Side side) {
    HttpResponse<Buffer> listed = world.ts.api.get("/admin/v1/tenants/" + side.slug() + "/domains", world.superAdmin);
    assertThat(listed.statusCode()).isEqualTo(200);
    return listed.bodyAsJsonObject().getJsonArray("items").stream()
      .map(item -> ((JsonObject) item).getString("host")).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void bsDomainAsHostIsRefusedWithoutChargingOrDescribingB(Pairing p) {
    String host = victimDomain(p);
    HttpResponse<Buffer> refused = world.ts.api.getNaming(NOTES, world.a(p).memberToken(), null, host);
    assertProblem(refused, 403);
    assertThat(refused.headers().names()).noneMatch(name -> name.toLowerCase().startsWith("ratelimit"));
    assertNoLeak(refused, world.b(p));

    HttpResponse<Buffer> victim = world.ts.api.getNaming(NOTES, world.b(p).memberToken(), null, host);
    assertThat(victim.statusCode()).as("B's own member through B's domain").isEqualTo(200);
    assertThat(victim.bodyAsJsonObject().getJsonArray("items")).hasSize(3);
    assertOwnNotes(p);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void bsDomainAsHttp2AuthorityIsRefused(Pairing p) {
    String host = victimDomain(p);
    WebClient h2 = WebClient.create(world.ts.vertx, new WebClientOptions()
      .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
      .setDefaultHost("127.0.0.1").setDefaultPort(world.ts.config.httpPort()));
    try {
      HttpResponse<Buffer> refused = Await.result(h2.get(NOTES).virtualHost(host)
        .bearerTokenAuthentication(world.a(p).memberToken()).send(), 10);
      assertThat(refused.version()).isEqualTo(HttpVersion.HTTP_2);
      assertProblem(refused, 403);
      assertNoLeak(refused, world.b(p));
    } finally {
      h2.close();
    }
    assertOwnNotes(p);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aTenantAdminCannotMapClaimOrRemoveDomainsAcrossTenants(Pairing p) {
    String host = victimDomain(p);
    String attacker = world.a(p).adminToken();
    String a = "/admin/v1/tenants/" + world.a(p).slug() + "/domains/";
    String b = "/admin/v1/tenants/" + world.b(p).slug() + "/domains/";
    List<HttpResponse<Buffer>> refused = List.of(
      world.ts.api.put(b + "planted." + world.a(p).slug() + ".example", attacker, new JsonObject(), null),
      world.ts.api.put(a + host, attacker, new JsonObject(), null),
      world.ts.api.put(a + "own." + world.a(p).slug() + ".example", attacker, new JsonObject(), null),
      world.ts.api.delete(b + host, attacker, null),
      world.ts.api.get("/admin/v1/tenants/" + world.b(p).slug() + "/domains", attacker));
    for (HttpResponse<Buffer> r : refused) {
      assertProblem(r, 403);
      assertNoLeak(r, world.b(p));
      assertThat(r.bodyAsString()).doesNotContain(host);
    }
    assertThat(domainsOf(world.b(p))).containsExactly(host);
    assertThat(domainsOf(world.a(p))).isEmpty();
    HttpResponse<Buffer> victim = world.ts.api.getNaming(NOTES, world.b(p).memberToken(), null, host);
    assertThat(victim.statusCode()).as("B's domain still names B").isEqualTo(200);
    assertOwnNotes(p);
    world.assertUnchanged(world.b(p));
  }
}
