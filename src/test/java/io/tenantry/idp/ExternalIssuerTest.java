package io.tenantry.idp;

import io.tenantry.support.Eventually;
import io.tenantry.support.TestIdp;
import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens of external identity providers: one whose JWKS a Vert.x server of this test serves (RS256 and ES256 keys,
 * rotated), one whose JWKS is a file (rewritten). Accepted with their mapped roles in the one tenant they name;
 * refused (401) when expired, for another audience, without or with an unknown tenant, from an unknown issuer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalIssuerTest {
  private static final String NOTES = "/api/v1/collections/notes/records";

  private final TestIdp web = new TestIdp("https://sso.acme.test");
  private final TestIdp disk = new TestIdp("https://files.acme.test");
  private final TestIdp.Key rsa = TestIdp.rsa("rsa-1");
  private final TestIdp.Key ec = TestIdp.ec("ec-1");
  private final TestIdp.Key fileKey = TestIdp.rsa("file-1");
  private TestServer ts;
  private String admin;

  @BeforeAll
  void start() throws Exception {
    web.publish(rsa, ec);
    String url = web.serve();
    Path dir = Files.createTempDirectory("jwks");
    disk.publish(fileKey).writeTo(dir.resolve("jwks.json"));
    JsonArray issuers = new JsonArray()
      .add(web.entry("jwks-url", url, List.of("idp-a", "idp-c")))
      .add(disk.entry("jwks-file", dir.resolve("jwks.json").toString(), List.of("idp-a")));
    ts = TestServer.start(Map.of("auth.external-issuers", issuers.encode()));
    admin = ts.adminToken();
    ts.createTenant(admin, "idp-a");
    ts.createTenant(admin, "idp-b");
    ts.createTenant(admin, "idp-c");
  }

  @AfterAll
  void stop() {
    ts.close();
    web.close();
  }

  private String token(TestIdp.Key key, JsonObject claims) {
    return TestIdp.sign(key, claims);
  }

  @Test
  void aMappedMemberReadsAndWritesItsTenantWithRs256AndEs256() {
    String viaRsa = token(rsa, web.claims("alice", "idp-a", "idp-staff"));
    HttpResponse<Buffer> created = ts.api.post(NOTES, viaRsa, new JsonObject().put("from", "alice"));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String viaEc = token(ec, web.claims("alice", "idp-a", "idp-staff"));
    HttpResponse<Buffer> read = ts.api.get(NOTES + "/" + created.bodyAsJsonObject().getString("id"), viaEc);
    assertThat(read.statusCode()).as(read.bodyAsString()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject().getJsonObject("data").getString("from")).isEqualTo("alice");
  }

  @Test
  void rolesAreMappedAndNeverSuperAdmin() {
    String reader = token(rsa, web.claims("bob", "idp-a", "idp-auditors"));
    assertThat(ts.api.get(NOTES, reader).statusCode()).isEqualTo(200);
    assertProblem(ts.api.post(NOTES, reader, new JsonObject()), 403);

    String tenantAdmin = token(rsa, web.claims("carol", "idp-a", "idp-admins"));
    HttpResponse<Buffer> own = ts.api.get("/admin/v1/tenants/idp-a", tenantAdmin);
    assertThat(own.statusCode()).as(own.bodyAsString()).isEqualTo(200);
    assertProblem(ts.api.get("/admin/v1/tenants/idp-b", tenantAdmin), 403);

    String claimsSuper = token(rsa, web.claims("mallory", "idp-a", "super_admin", "idp-admins"));
    assertProblem(ts.api.get("/admin/v1/tenants", claimsSuper), 403);
    assertProblem(ts.api.get("/admin/v1/pools", claimsSuper), 403);

    String unmapped = token(rsa, web.claims("dave", "idp-a", "visitors"));
    assertProblem(ts.api.get(NOTES, unmapped), 403);
  }

  @Test
  void aRolesClaimMayBeASpaceSeparatedString() {
    JsonObject claims = web.claims("erin", "idp-a").put("roles", "visitors idp-staff");
    assertThat(ts.api.get(NOTES, token(rsa, claims)).statusCode()).isEqualTo(200);
  }

  @Test
  void theTenantClaimTakesAnIdToo() {
    String id = ts.api.get("/admin/v1/tenants/idp-a", admin).bodyAsJsonObject().getString("id");
    assertThat(ts.api.get(NOTES, token(rsa, web.claims("frank", id, "idp-staff"))).statusCode()).isEqualTo(200);
  }

  @Test
  void badTokensAre401() {
    long now = System.currentTimeMillis() / 1000;
    assertProblem(ts.api.get(NOTES, token(rsa, web.claims("g", "idp-a", "idp-staff").put("exp", now - 60))), 401);
    assertProblem(ts.api.get(NOTES, token(rsa, web.claims("g", "idp-a", "idp-staff").put("aud", "someone-else"))), 401);
    JsonObject noTenant = web.claims("g", "idp-a", "idp-staff");
    noTenant.remove("tenant");
    assertProblem(ts.api.get(NOTES, token(rsa, noTenant)), 401);
    noTenant.remove("exp");
    assertProblem(ts.api.get(NOTES, token(rsa, noTenant.put("tenant", "idp-a"))), 401);
    assertProblem(ts.api.get(NOTES, token(rsa, web.claims("g", "no-such-tenant", "idp-staff"))), 401);
    // the issuer is trusted for idp-a and idp-c only
    assertProblem(ts.api.get(NOTES, token(rsa, web.claims("g", "idp-b", "idp-staff"))), 401);
    assertProblem(ts.api.get(NOTES, token(rsa, web.claims("g", "idp-a", "idp-staff").put("iss", "https://other.test"))), 401);
    JsonObject noSub = web.claims("g", "idp-a", "idp-staff");
    noSub.remove("sub");
    assertProblem(ts.api.get(NOTES, token(rsa, noSub)), 401);
  }

  @Test
  void anExternalTokenActsInItsTenantOnly() {
    String member = token(rsa, web.claims("henry", "idp-a", "idp-staff"));
    assertProblem(ts.api.getNaming(NOTES, member, "idp-c", null), 403);
    assertProblem(ts.api.get("/t/idp-c" + NOTES, member), 403);
    assertThat(ts.api.getNaming(NOTES, member, "idp-a", null).statusCode()).isEqualTo(200);
  }

  @Test
  void theSameSubjectIsTheSameUserAndIssuersNeverCollide() {
    assertThat(ExternalClaims.userId(web.issuer, "ivy")).isEqualTo(ExternalClaims.userId(web.issuer, "ivy"));
    assertThat(ExternalClaims.userId(web.issuer, "ivy")).isNotEqualTo(ExternalClaims.userId(disk.issuer, "ivy"));
  }

  @Test
  void aRotatedKeyIsFetchedAndTheRemovedOneRefused() {
    TestIdp.Key next = TestIdp.rsa("rsa-2");
    try {
      web.publish(next, ec);
      Eventually.within(Duration.ofSeconds(10), "the new kid accepted", () ->
        ts.api.get(NOTES, token(next, web.claims("jack", "idp-a", "idp-staff"))).statusCode() == 200);
      // a token of the removed key that this node never saw: refused
      assertProblem(ts.api.get(NOTES, token(rsa, web.claims("jack-" + UUID.randomUUID(), "idp-a", "idp-staff"))), 401);
    } finally {
      web.publish(rsa, ec, next);
    }
    Eventually.within(Duration.ofSeconds(10), "the first key back", () ->
      ts.api.get(NOTES, token(rsa, web.claims("jack-" + UUID.randomUUID(), "idp-a", "idp-staff"))).statusCode() == 200);
  }

  @Test
  void aFloodOfUnknownKidsCostsTheProviderAFewFetches() {
    TestIdp.Key forged = TestIdp.rsa("unused");
    int before = web.fetches();
    for (int i = 0; i < 40; i++) {
      TestIdp.Key bogus = new TestIdp.Key("bogus-" + i, "RS256", forged.pair());
      assertProblem(ts.api.get(NOTES, token(bogus, web.claims("kim", "idp-a", "idp-staff"))), 401);
    }
    // at most one fetch per min-refetch-seconds (1 s here) while the 40 requests ran
    assertThat(web.fetches() - before).isLessThanOrEqualTo(5);
  }

  @Test
  void aFileIssuerIsReloadedWhenTheFileChanges() {
    assertThat(ts.api.get(NOTES, token(fileKey, disk.claims("lea", "idp-a", "idp-staff"))).statusCode()).isEqualTo(200);
    TestIdp.Key next = TestIdp.ec("file-2");
    disk.publish(next);
    Eventually.within(Duration.ofSeconds(10), "the rewritten file's key accepted", () ->
      ts.api.get(NOTES, token(next, disk.claims("lea", "idp-a", "idp-staff"))).statusCode() == 200);
    assertProblem(ts.api.get(NOTES, token(fileKey, disk.claims("lea-" + UUID.randomUUID(), "idp-a", "idp-staff"))), 401);
    // a key of the web issuer is no key of the file issuer
    assertProblem(ts.api.get(NOTES, token(rsa, disk.claims("lea", "idp-a", "idp-staff"))), 401);
  }

  @Test
  void externalUsersHaveNoAccountInTenantry() {
    String tenantAdmin = token(rsa, web.claims("olga", "idp-a", "idp-admins"));
    assertProblem(ts.api.get("/auth/me", tenantAdmin), 401);
    assertProblem(ts.api.post("/admin/v1/tenants/idp-a/api-keys", tenantAdmin,
      new JsonObject().put("name", "k").put("scopes", new JsonArray().add("records:read"))), 404);
    assertProblem(ts.api.get("/admin/v1/tenants/idp-a/users", tenantAdmin), 403);
  }

  @Test
  void tenantryTokensStillWork() {
    String own = ts.tenantWithUser(admin, "idp-own", "member");
    assertThat(ts.api.get(NOTES, own).statusCode()).isEqualTo(200);
  }
}
