package io.tenantry.auth;

import io.tenantry.config.ConfigException;
import io.tenantry.config.ConfigLoader;
import io.tenantry.support.TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key ids (RFC 7638 thumbprints) and which key verifies which token while two keys are configured. */
class JwtKeyIdTest {
  private static Vertx vertx;
  private static KeyPair oldPair;
  private static KeyPair newPair;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    oldPair = generator.generateKeyPair();
    newPair = generator.generateKeyPair();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static Tokens tokens(JwtKeys keys) {
    return new Tokens(vertx, keys, "tenantry", "tenantry", 900);
  }

  private static String header(String token) {
    return new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
  }

  private static int status(Tokens tokens, String token) {
    try {
      tokens.verify(token).await();
      return 200;
    } catch (io.tenantry.http.Problem p) {
      return p.status();
    }
  }

  @Test
  void theKidIsTheRfc7638ThumbprintOfThePublicKey() throws Exception {
    // RFC 7638, section 3.1: the example RSA key and its SHA-256 thumbprint.
    String n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
      + "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu"
      + "6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awa"
      + "pJzKnqDKgw";
    var key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
      new BigInteger(1, Base64.getUrlDecoder().decode(n)), BigInteger.valueOf(65537)));
    assertThat(JwtKeys.kid(JwtKeys.pem("PUBLIC KEY", key.getEncoded())))
      .isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  }

  @Test
  void textThatIsNoRsaPublicKeyHasNoKid() throws Exception {
    assertThatThrownBy(() -> JwtKeys.kid("-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n"))
      .isInstanceOf(IllegalArgumentException.class);
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    String ecPem = JwtKeys.pem("PUBLIC KEY", ec.generateKeyPair().getPublic().getEncoded());
    assertThatThrownBy(() -> JwtKeys.kid(ecPem)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void newTokensNameTheCurrentKeyAndTheRetiredKeysTokensVerifyUntilItIsRemoved() {
    Tokens before = tokens(new JwtKeys(JwtKeysPem.privatePem(oldPair), JwtKeysPem.publicPem(oldPair)));
    Tokens during = tokens(new JwtKeys(JwtKeysPem.privatePem(newPair), JwtKeysPem.publicPem(newPair),
      JwtKeysPem.publicPem(oldPair)));
    Tokens after = tokens(new JwtKeys(JwtKeysPem.privatePem(newPair), JwtKeysPem.publicPem(newPair)));
    String old = before.issue(UUID.randomUUID(), null, List.of("member"));
    String fresh = during.issue(UUID.randomUUID(), null, List.of("member"));
    assertThat(new JsonObject(header(old)).getString("kid")).isEqualTo(JwtKeys.kid(JwtKeysPem.publicPem(oldPair)));
    assertThat(new JsonObject(header(fresh)).getString("kid")).isEqualTo(JwtKeys.kid(JwtKeysPem.publicPem(newPair)));
    assertThat(status(during, old)).isEqualTo(200);
    assertThat(status(during, fresh)).isEqualTo(200);
    assertThat(status(after, old)).isEqualTo(401);
    assertThat(status(after, fresh)).isEqualTo(200);
    assertThat(status(before, fresh)).as("a node not yet rolled refuses the new key's tokens").isEqualTo(401);
  }

  @Test
  void aTokenWithoutKidIsCheckedAgainstEveryKeyAndAnUnknownKidIsRefused() {
    Tokens during = tokens(new JwtKeys(JwtKeysPem.privatePem(newPair), JwtKeysPem.publicPem(newPair),
      JwtKeysPem.publicPem(oldPair)));
    JWTAuth legacy = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(JwtKeysPem.privatePem(oldPair))));
    JsonObject claims = new JsonObject().put("iss", "tenantry").put("aud", "tenantry")
      .put("sub", UUID.randomUUID().toString()).put("roles", new JsonArray().add("member"))
      .put("jti", UUID.randomUUID().toString());
    String noKid = legacy.generateToken(claims, new JWTOptions().setAlgorithm("RS256").setExpiresInSeconds(600));
    assertThat(new JsonObject(header(noKid)).containsKey("kid")).isFalse();
    assertThat(status(during, noKid)).as("a token issued before kids existed").isEqualTo(200);

    // The old key's signature under a kid no configured key has: refused, not tried against the other keys.
    JWTAuth misnamed = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
      .setAlgorithm("RS256").setId("some-other-key").setBuffer(JwtKeysPem.privatePem(oldPair))));
    String unknownKid = misnamed.generateToken(claims.copy().put("jti", UUID.randomUUID().toString()),
      new JWTOptions().setAlgorithm("RS256").setExpiresInSeconds(600));
    assertThat(status(during, unknownKid)).isEqualTo(401);
  }

  @Test
  void thePreviousKeyFileIsReadAndCheckedAtStart() throws Exception {
    Path dir = Files.createTempDirectory("tenantry-jwt-keys");
    Path privateFile = Files.writeString(dir.resolve("private.pem"), JwtKeysPem.privatePem(newPair));
    Path publicFile = Files.writeString(dir.resolve("public.pem"), JwtKeysPem.publicPem(newPair));
    Path previousFile = Files.writeString(dir.resolve("previous.pem"), JwtKeysPem.publicPem(oldPair));
    Path notAKey = Files.writeString(dir.resolve("garbage.pem"), "hello");
    Map<String, String> keys = Map.of("auth.jwt-private-key-file", privateFile.toString(),
      "auth.jwt-public-key-file", publicFile.toString());

    JwtKeys loaded = JwtKeys.load(ConfigLoader.load(null, Map.of(), TestServer.flags(with(keys,
      "auth.jwt-second-public-key-file", previousFile.toString()))));
    assertThat(loaded.secondPublicPem()).isEqualTo(JwtKeysPem.publicPem(oldPair));
    assertThat(loaded.currentKid()).isEqualTo(JwtKeys.kid(JwtKeysPem.publicPem(newPair)));
    assertThat(JwtKeys.load(ConfigLoader.load(null, Map.of(), TestServer.flags(keys))).secondPublicPem()).isEmpty();

    assertThatThrownBy(() -> JwtKeys.load(ConfigLoader.load(null, Map.of(), TestServer.flags(with(keys,
      "auth.jwt-second-public-key-file", notAKey.toString())))))
      .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("auth.jwt-second-public-key-file"))
      .hasMessageContaining("is not an RSA public key");
    assertThatThrownBy(() -> JwtKeys.load(ConfigLoader.load(null, Map.of(), TestServer.flags(with(keys,
      "auth.jwt-second-public-key-file", dir.resolve("missing.pem").toString())))))
      .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("auth.jwt-second-public-key-file"));
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> copy = new java.util.HashMap<>(base);
    copy.put(key, value);
    return copy;
  }
}
