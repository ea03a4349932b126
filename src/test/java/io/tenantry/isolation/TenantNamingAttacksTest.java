package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Tenant A names tenant B every way a request can name a tenant; none of them may reach B. */
class TenantNamingAttacksTest extends AttackSuite {
  private HttpResponse<Buffer> list(String token, String header, String host, String path) {
    return world.ts.api.getNaming(path == null ? NOTES : path, token, header, host);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void headerNamesBBySlug(Pairing p) {
    refused(p, list(world.a(p).memberToken(), world.b(p).slug(), null, null), 403);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void headerNamesBById(Pairing p) {
    refused(p, list(world.a(p).memberToken(), world.b(p).id().toString(), null, null), 403);
    refused(p, list(world.a(p).memberToken(), world.b(p).id().toString().toUpperCase(Locale.ROOT), null, null), 403);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void hostNamesB(Pairing p) {
    refused(p, list(world.a(p).memberToken(), null, world.b(p).slug() + ".localhost", null), 403);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void pathNamesB(Pairing p) {
    refused(p, list(world.a(p).memberToken(), null, null, "/t/" + world.b(p).slug() + NOTES), 403);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void agreeingSourcesPlusOneNamingB(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    refused(p, list(a.memberToken(), a.slug(), b.slug() + ".localhost", null), 403);
    refused(p, list(a.memberToken(), a.slug(), a.slug() + ".localhost", "/t/" + b.slug() + NOTES), 403);
    refused(p, list(world.superAdmin, a.slug(), null, "/t/" + b.slug() + NOTES), 403);
    refused(p, list(world.superAdmin, a.id().toString(), b.slug() + ".localhost", null), 403);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void bTokenWithAHeaderIsRefusedToo(Pairing p) {
    assertProblem(list(world.b(p).memberToken(), world.a(p).slug(), null, null), 403);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void caseVariantsOfBSlug(Pairing p) {
    String upper = world.b(p).slug().toUpperCase(Locale.ROOT);
    refused(p, list(world.superAdmin, upper, null, null), 404);
    refused(p, list(world.superAdmin, null, null, "/t/" + upper + NOTES), 404);
    // DNS names are case-insensitive: an upper-case host is B itself, and A's token still cannot use it.
    refused(p, list(world.a(p).memberToken(), null, upper + ".localhost", null), 403);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void unicodeVariantsOfBSlug(Pairing p) {
    String slug = world.b(p).slug();
    String fullwidthFirst = (char) (slug.charAt(0) - 'a' + '\uff41') + slug.substring(1);
    for (String variant : List.of(slug.replace('-', '\u2010'), fullwidthFirst, slug + "\u200b", slug + "\u0301",
      slug.replace('-', '\u00ad'))) {
      assertThat(variant).isNotEqualTo(slug);
      refused(p, list(world.superAdmin, variant, null, null), 404);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void encodedOrPaddedSlugsInThePath(Pairing p) {
    String slug = world.b(p).slug();
    String encoded = "%" + Integer.toHexString(slug.charAt(0)) + slug.substring(1);
    refused(p, list(world.a(p).memberToken(), null, null, "/t/" + encoded + NOTES), 403);
    refused(p, list(world.superAdmin, null, null, "/t/" + slug + "%20" + NOTES), 404);
    refused(p, list(world.superAdmin, null, null, "/t/" + slug + "." + NOTES), 404);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aSlugLookingLikeBIdCannotBeCreated(Pairing p) {
    assertProblem(world.ts.api.post("/admin/v1/tenants", world.superAdmin, new JsonObject()
      .put("slug", world.b(p).id().toString()).put("name", "impostor")), 400);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void membershipInAGivesNoTokenForB(Pairing p) {
    String email = "member@" + world.a(p).slug() + ".test";
    for (String tenant : List.of(world.b(p).slug(), world.b(p).id().toString())) {
      HttpResponse<Buffer> r = world.ts.api.post("/auth/token", null, new JsonObject()
        .put("email", email).put("password", "password-of-" + email).put("tenant", tenant));
      assertProblem(r, 401);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void tenantAdminOfACannotAdministerB(Pairing p) {
    String path = "/admin/v1/tenants/" + world.b(p).slug();
    assertProblem(world.ts.api.get(path, world.a(p).adminToken()), 403);
    assertProblem(world.ts.api.post(path + "/users", world.a(p).adminToken(), new JsonObject()
      .put("email", "mole@" + world.a(p).slug() + ".test").put("password", "mole-password-123").put("role", "tenant_admin")), 403);
    assertProblem(world.ts.api.post(path + "/suspend", world.a(p).adminToken(), new JsonObject()), 403);
    assertProblem(world.ts.api.delete(path, world.a(p).adminToken(), null), 403);
    world.assertUnchanged(world.b(p));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aDeletedAndRecreatedSlugSeesNoOldData(Pairing p) {
    String slug = p.slugPrefix() + "-phoenix";
    Side old = world.side(slug, p.b());
    assertThat(world.ts.api.delete("/admin/v1/tenants/" + slug, world.superAdmin, null).statusCode()).isEqualTo(204);
    // The old token names a tenant id that no longer exists.
    assertProblem(world.ts.api.get(NOTES, old.memberToken()), 404);

    // the slug is taken until the soft-deleted tenant is purged
    java.util.concurrent.atomic.AtomicReference<HttpResponse<Buffer>> created = new java.util.concurrent.atomic.AtomicReference<>();
    io.tenantry.support.Eventually.within(java.time.Duration.ofSeconds(30), "the slug free again", () -> {
      created.set(world.ts.api.post("/admin/v1/tenants", world.superAdmin,
        new JsonObject().put("slug", slug).put("name", slug).put("isolation", p.b())));
      return created.get().statusCode() != 409;
    });
    HttpResponse<Buffer> again = created.get();
    assertThat(again.statusCode()).isEqualTo(201);
    assertThat(again.bodyAsJsonObject().getString("id")).isNotEqualTo(old.id().toString());
    HttpResponse<Buffer> fresh = list(world.superAdmin, slug, null, null);
    assertThat(fresh.statusCode()).isEqualTo(200);
    assertThat(fresh.bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertNoLeak(fresh, old);
    // The old token still does not open the new tenant (its tenant claim is the old id).
    assertProblem(list(old.memberToken(), slug, null, null), 404);
    assertThat(world.ts.api.delete("/admin/v1/tenants/" + slug, world.superAdmin, null).statusCode()).isEqualTo(204);
  }
}
