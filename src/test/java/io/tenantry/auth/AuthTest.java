package io.tenantry.auth;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.UUID;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Tokens: issued right, and every kind of bad token refused with 401. */
class AuthTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestServer ts;
  private static String admin;
  private static String member;
  private static String privatePem;
  private static String publicPem;

  @BeforeAll
  static void start() throws Exception {
    ts = TestServer.start();
    admin = ts.adminToken();
    member = ts.tenantWithUser(admin, "alpha", "member");
    ts.createTenant(admin, "beta");
    privatePem = Files.readString(ts.config.dataDir().resolve("jwt-private.pem"));
    publicPem = Files.readString(ts.config.dataDir().resolve("jwt-public.pem"));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static JsonObject claims(String token) {
    String payload = token.split("\\.")[1];
    return new JsonObject(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonObject memberClaims() {
    return claims(member).copy();
  }

  @Test
  void aTenantTokenCarriesSubTenantRolesExpiryAndId() {
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(member.split("\\.")[0]), StandardCharsets.UTF_8));
    assertThat(header.getString("alg")).isEqualTo("RS256");
    JsonObject c = claims(member);
    assertThat(c.getString("sub")).isNotBlank();
    assertThat(c.getString("tenant")).isEqualTo(ts.api.get("/admin/v1/tenants/alpha", admin).bodyAsJsonObject().getString("id"));
    assertThat(c.getJsonArray("roles")).containsExactly("member");
    assertThat(c.getLong("exp") - c.getLong("iat")).isEqualTo(ts.config.tokenTtlSeconds());
    assertThat(c.getString("jti")).isNotBlank();
  }

  @Test
  void theTokenResponseHasTheDocumentedShape() {
    HttpResponse<Buffer> r = ts.api.post("/auth/token", null,
      new JsonObject().put("email", TestServer.ADMIN_EMAIL).put("password", TestServer.ADMIN_PASSWORD));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Cache-Control")).isEqualTo("no-store");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getInteger("expires_in")).isEqualTo(ts.config.tokenTtlSeconds());
    assertThat(claims(body.getString("access_token")).containsKey("tenant")).isFalse();
    assertThat(claims(body.getString("access_token")).getJsonArray("roles")).containsExactly("super_admin");
  }

  @Test
  void wrongPasswordUnknownUserAndNonMemberGetTheSameAnswer() {
    JsonObject wrongPassword = ts.api.post("/auth/token", null, new JsonObject()
      .put("email", "member@alpha.test").put("password", "not-the-password").put("tenant", "alpha")).bodyAsJsonObject();
    JsonObject nonMember = ts.api.post("/auth/token", null, new JsonObject()
      .put("email", "member@alpha.test").put("password", "password-of-member@alpha.test").put("tenant", "beta")).bodyAsJsonObject();
    JsonObject unknownUser = ts.api.post("/auth/token", null, new JsonObject()
      .put("email", "nobody@alpha.test").put("password", "whatever-password").put("tenant", "alpha")).bodyAsJsonObject();
    JsonObject unknownTenant = ts.api.post("/auth/token", null, new JsonObject()
      .put("email", "member@alpha.test").put("password", "password-of-member@alpha.test").put("tenant", "no-such")).bodyAsJsonObject();
    for (JsonObject body : new JsonObject[] {wrongPassword, nonMember, unknownUser, unknownTenant}) {
      body.remove("instance"); // the request id differs by design
      assertThat(body).isEqualTo(wrongPassword);
    }
    assertThat(wrongPassword.getInteger("status")).isEqualTo(401);
  }

  @Test
  void missingTokenIsUnauthorized() {
    assertProblem(ts.api.get(NOTES, null), 401);
    assertProblem(ts.api.get("/admin/v1/tenants", null), 401);
  }

  @Test
  void garbageAndMalformedAuthorizationAreUnauthorized() {
    assertProblem(ts.api.get(NOTES, "garbage"), 401);
    assertProblem(ts.api.get(NOTES, "a.b.c"), 401);
    var basic = ts.api.request(HttpMethod.GET, NOTES, null).putHeader("Authorization", "Basic dXNlcjpwYXNz");
    assertProblem(ts.api.send(basic), 401);
    var empty = ts.api.request(HttpMethod.GET, NOTES, null).putHeader("Authorization", "Bearer ");
    assertProblem(ts.api.send(empty), 401);
  }

  @Test
  void expiredTokenIsUnauthorized() {
    JsonObject c = memberClaims();
    long now = System.currentTimeMillis() / 1000;
    c.put("iat", now - 3600).put("exp", now - 600);
    String expired = signer(privatePem, publicPem).generateToken(c, new JWTOptions().setAlgorithm("RS256").setNoTimestamp(true));
    assertProblem(ts.api.get(NOTES, expired), 401);
  }

  @Test
  void tokenWithoutExpiryIsUnauthorized() {
    JsonObject c = memberClaims();
    c.remove("exp");
    String eternal = signer(privatePem, publicPem).generateToken(c, new JWTOptions().setAlgorithm("RS256"));
    assertProblem(ts.api.get(NOTES, eternal), 401);
  }

  @Test
  void tokenSignedByAnotherKeyIsUnauthorized() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    var pair = generator.generateKeyPair();
    String otherPrivate = JwtKeys.pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    String otherPublic = JwtKeys.pem("PUBLIC KEY", pair.getPublic().getEncoded());
    String forged = signer(otherPrivate, otherPublic).generateToken(memberClaims(), new JWTOptions().setAlgorithm("RS256"));
    assertProblem(ts.api.get(NOTES, forged), 401);
  }

  @Test
  void tamperedPayloadIsUnauthorized() {
    String[] parts = member.split("\\.");
    JsonObject c = memberClaims().put("roles", new JsonArray().add("super_admin"));
    assertProblem(ts.api.get("/admin/v1/tenants", parts[0] + "." + b64(c.encode()) + "." + parts[2]), 401);
  }

  @Test
  void algNoneIsUnauthorized() {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String unsigned = header + "." + b64(memberClaims().put("roles", new JsonArray().add("super_admin")).encode()) + ".";
    assertProblem(ts.api.get(NOTES, unsigned), 401);
    assertProblem(ts.api.get("/admin/v1/tenants", unsigned), 401);
  }

  @Test
  void hs256SignedWithThePublicKeyIsUnauthorized() throws Exception {
    String signingInput = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(memberClaims().encode());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(publicPem.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
    String signature = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    assertProblem(ts.api.get(NOTES, signingInput + "." + signature), 401);
  }

  @Test
  void aTokenForTenantAUsedWithTenantBHeaderIsForbidden() {
    var request = ts.api.request(HttpMethod.GET, NOTES, member).putHeader("X-Tenant-ID", "beta");
    assertProblem(ts.api.send(request), 403);
  }

  @Test
  void aTokenWithoutTenantForANonAdminIsForbiddenOnTenantRoutes() {
    String noTenant = ts.api.token("member@alpha.test", "password-of-member@alpha.test", null);
    var request = ts.api.request(HttpMethod.GET, NOTES, noTenant).putHeader("X-Tenant-ID", "alpha");
    assertProblem(ts.api.send(request), 403);
  }

  @Test
  void aTokenWithAnUnparseableSubjectIsUnauthorized() {
    JsonObject c = memberClaims().put("sub", "not-a-uuid").put("jti", UUID.randomUUID().toString());
    String odd = signer(privatePem, publicPem).generateToken(c, new JWTOptions().setAlgorithm("RS256").setExpiresInSeconds(60));
    assertProblem(ts.api.get(NOTES, odd), 401);
  }

  @Test
  void readOnlyMembersCannotWriteButCanRead() {
    ts.addUser(admin, "alpha", "reader@alpha.test", "read_only");
    String reader = ts.api.token("reader@alpha.test", "password-of-reader@alpha.test", "alpha");
    assertThat(ts.api.get(NOTES, reader).statusCode()).isEqualTo(200);
    assertProblem(ts.api.post(NOTES, reader, new JsonObject().put("x", 1)), 403);
    String id = ts.api.post(NOTES, member, new JsonObject().put("x", 1)).bodyAsJsonObject().getString("id");
    assertProblem(ts.api.put(NOTES + "/" + id, reader, new JsonObject(), null), 403);
    assertProblem(ts.api.patch(NOTES + "/" + id, reader, new JsonObject(), null), 403);
    assertProblem(ts.api.delete(NOTES + "/" + id, reader, null), 403);
    assertThat(ts.api.get(NOTES + "/" + id, reader).bodyAsJsonObject().getLong("version")).isEqualTo(1L);
  }

  @Test
  void onlySuperAdminsManageTenants() {
    assertProblem(ts.api.post("/admin/v1/tenants", member, new JsonObject().put("slug", "sneaky").put("name", "S")), 403);
    assertProblem(ts.api.get("/admin/v1/tenants", member), 403);
    assertProblem(ts.api.post("/admin/v1/tenants/alpha/suspend", member, new JsonObject()), 403);
  }

  @Test
  void tenantAdminsAddUsersToTheirOwnTenantOnly() {
    ts.addUser(admin, "alpha", "boss@alpha.test", "tenant_admin");
    String boss = ts.api.token("boss@alpha.test", "password-of-boss@alpha.test", "alpha");
    var ok = ts.api.post("/admin/v1/tenants/alpha/users", boss,
      new JsonObject().put("email", "new@alpha.test").put("role", "member"));
    assertThat(ok.statusCode()).isEqualTo(202); // an invitation: the invitee joins by accepting it
    assertProblem(ts.api.post("/admin/v1/tenants/beta/users", boss,
      new JsonObject().put("email", "new@beta.test").put("password", "new-user-password").put("role", "tenant_admin")), 403);
    assertProblem(ts.api.post("/admin/v1/tenants/alpha/users", member,
      new JsonObject().put("email", "x@alpha.test").put("password", "new-user-password").put("role", "tenant_admin")), 403);
  }

  private static JWTAuth signer(String privateKey, String publicKey) {
    return JWTAuth.create(ts.vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(publicKey))
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(privateKey))
      .setJWTOptions(new JWTOptions().setIssuer(ts.config.jwtIssuer())));
  }
}
