package io.tenantry.isolation;

import io.tenantry.support.Api;
import io.tenantry.support.TestIdp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.tenantry.isolation.AttackWorld.NOTES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An enterprise's identity provider is trusted for tenant A only (every pairing's A). Its users' tokens, and tokens
 * an attacker forges in its name, reach for tenant B: by naming B besides the token, by naming B in the token, by
 * algorithm confusion (none; HS256 keyed with the provider's public key), by a made-up kid, by the provider's kid on
 * the attacker's key, by Tenantry's own issuer on the provider's key. All refused, nothing of B in the answers, B
 * unchanged, A's own notes listed through the provider's token.
 */
class ExternalIssuerAttacksTest extends AttackSuite {
  private final TestIdp idp = new TestIdp("https://sso.attacked.test");
  private final TestIdp.Key key = TestIdp.rsa("sso-1");
  private final TestIdp.Key attacker = TestIdp.rsa("attacker-1");

  @Override
  @BeforeAll
  void createWorld() {
    try {
      Path dir = Files.createTempDirectory("jwks");
      idp.publish(key).writeTo(dir.resolve("jwks.json"));
      JsonArray aTenants = new JsonArray();
      Pairing.ALL.forEach(p -> aTenants.add(p.slugPrefix() + "-a"));
      JsonObject entry = idp.entry("jwks-file", dir.resolve("jwks.json").toString(), java.util.List.of())
        .put("tenants", aTenants);
      world = AttackWorld.create(Map.of("auth.external-issuers", new JsonArray().add(entry).encode()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  @AfterAll
  void closeWorld() {
    world.close();
    idp.close();
  }

  private HttpResponse<Buffer> send(HttpMethod method, String path, String token, String header, String host) {
    return world.ts.api.send(Api.naming(world.ts.api.request(method, path, token), header, host));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aProviderTokenOfANamingBIsRefusedEveryWay(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    String token = TestIdp.sign(key, idp.claims("alice", a.slug(), "idp-staff"));
    refused(p, send(HttpMethod.GET, NOTES, token, b.slug(), null), 403);
    refused(p, send(HttpMethod.GET, NOTES, token, b.id().toString(), null), 403);
    refused(p, send(HttpMethod.GET, NOTES, token, null, b.slug() + ".localhost"), 403);
    refused(p, send(HttpMethod.GET, "/t/" + b.slug() + NOTES, token, null, null), 403);
    refused(p, send(HttpMethod.GET, NOTES + "/" + b.noteIds().get(0), token, b.slug(), null), 403);
    refused(p, send(HttpMethod.DELETE, "/t/" + b.slug() + NOTES + "/" + b.noteIds().get(0), token, null, null), 403);
    refused(p, send(HttpMethod.GET, NOTES + "/" + b.noteIds().get(0), token, null, null), 404);

    world.assertOnlyOwn(send(HttpMethod.GET, NOTES + "?limit=500", token, null, null), a);
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aProviderTokenNamingBIsRefused(Pairing p) {
    Side b = world.b(p);
    refused(p, send(HttpMethod.GET, NOTES, TestIdp.sign(key, idp.claims("bob", b.slug(), "idp-staff")), null, null), 401);
    refused(p, send(HttpMethod.GET, NOTES, TestIdp.sign(key, idp.claims("bob", b.id().toString(), "idp-admins")), null, null), 401);
    refused(p, send(HttpMethod.GET, "/admin/v1/tenants/" + b.slug(),
      TestIdp.sign(key, idp.claims("bob", b.slug(), "idp-admins")), null, null), 401);
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void forgedProviderTokensAreRefused(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    for (String tenant : new String[] {a.slug(), b.slug()}) {
      JsonObject claims = idp.claims("mallory", tenant, "idp-admins");
      JsonObject legitHeader = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", key.kid());
      byte[] publicDer = key.pair().getPublic().getEncoded();
      byte[] jwkText = TestIdp.jwk(key).encode().getBytes(StandardCharsets.UTF_8);
      String[] forged = {
        TestIdp.unsigned(claims),
        TestIdp.hs256(publicDer, legitHeader, claims),
        TestIdp.hs256(jwkText, legitHeader, claims),
        TestIdp.hs256(publicDer, new JsonObject().put("alg", "HS256").put("typ", "JWT"), claims),
        TestIdp.sign(attacker, claims),
        TestIdp.sign(new TestIdp.Key(key.kid(), "RS256", attacker.pair()), claims),
        TestIdp.sign(new TestIdp.Key(null, "RS256", attacker.pair()),
          new JsonObject().put("alg", "RS256").put("typ", "JWT"), claims),
        TestIdp.sign(key, claims.copy().put("iss", "tenantry")),
        TestIdp.sign(key, claims.copy().put("iss", "https://sso.attacked.test/")),
      };
      for (String token : forged) {
        refused(p, send(HttpMethod.GET, NOTES, token, b.slug(), null), 401);
        refused(p, send(HttpMethod.DELETE, NOTES + "/" + b.noteIds().get(0), token, null, null), 401);
        refused(p, send(HttpMethod.GET, "/admin/v1/tenants/" + b.slug() + "/users", token, null, null), 401);
      }
    }
    world.assertUnchanged(b);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pairings")
  void aProviderAdminOfACannotAdministerB(Pairing p) {
    Side a = world.a(p);
    Side b = world.b(p);
    String admin = TestIdp.sign(key, idp.claims("carol", a.slug(), "idp-admins"));
    HttpResponse<Buffer> own = send(HttpMethod.GET, "/admin/v1/tenants/" + a.slug(), admin, null, null);
    assertThat(own.statusCode()).as(own.bodyAsString()).isEqualTo(200);
    refused(p, send(HttpMethod.GET, "/admin/v1/tenants/" + b.slug(), admin, null, null), 403);
    refused(p, send(HttpMethod.GET, "/admin/v1/tenants/" + b.slug() + "/users", admin, null, null), 403);
    refused(p, send(HttpMethod.GET, "/admin/v1/tenants/" + b.slug() + "/api-keys", admin, null, null), 403);
    refused(p, send(HttpMethod.POST, "/admin/v1/tenants/" + b.slug() + "/suspend", admin, null, null), 403);
    world.assertUnchanged(b);
  }
}
