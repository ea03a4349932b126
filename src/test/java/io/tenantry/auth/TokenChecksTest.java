package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
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

import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What a correctly signed token must also be to be accepted: canonically encoded, for this audience, well typed. */
class TokenChecksTest {
  private static final Caller ALICE = new Caller(UUID.randomUUID(), UUID.randomUUID(), Set.of(Caller.MEMBER));
  private static Vertx vertx;
  private static Tokens tokens;
  private static JWTAuth signer;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    var pair = generator.generateKeyPair();
    tokens = new Tokens(vertx, new JwtKeys(JwtKeysPem.privatePem(pair), JwtKeysPem.publicPem(pair)), "tenantry", "tenantry", 900);
    signer = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(JwtKeysPem.publicPem(pair)))
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(JwtKeysPem.privatePem(pair))));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  private static JsonObject claims() {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", "tenantry").put("aud", "tenantry").put("sub", ALICE.userId().toString())
      .put("tenant", ALICE.tenantId().toString()).put("roles", new JsonArray().add(Caller.MEMBER))
      .put("jti", UUID.randomUUID().toString()).put("iat", now).put("exp", now + 600);
  }

  private static String sign(JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("RS256").setNoTimestamp(true));
  }

  /** The answer of verify, whether it fails through its future or (wrongly) by throwing. */
  private static Object outcome(String token) {
    Future<Caller> verified;
    try {
      verified = tokens.verify(token);
    } catch (RuntimeException e) {
      return e;
    }
    try {
      return verified.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return e;
    }
  }

  private static void assertUnauthorized(String token) {
    Object outcome = outcome(token);
    assertThat(outcome).as("verify(%s)", token).isInstanceOf(Problem.class);
    assertThat(((Problem) outcome).status()).isEqualTo(401);
  }

  /** Same bits, another spelling: a last base64url character whose unused low bits are not zero. */
  private static String withTrailingBits(String segment) {
    int unused = switch (segment.length() % 4) {
      case 2 -> 4;
      case 3 -> 2;
      default -> 0;
    };
    assertThat(unused).as("segment length %s has no unused bits", segment.length()).isPositive();
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(segment.charAt(segment.length() - 1));
    return segment.substring(0, segment.length() - 1) + alphabet.charAt(last | 1);
  }

  @Test
  void aWellFormedTokenIsAccepted() {
    assertThat(outcome(sign(claims()))).isEqualTo(ALICE);
    assertThat(outcome(tokens.issue(ALICE.userId(), ALICE.tenantId(), List.of(Caller.MEMBER)))).isEqualTo(ALICE);
  }

  @Test
  void issuedTokensCarryTheAudience() {
    String token = tokens.issue(ALICE.userId(), ALICE.tenantId(), List.of(Caller.MEMBER));
    JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    assertThat(payload.getValue("aud")).isIn("tenantry", new JsonArray().add("tenantry"));
  }

  @Test
  void aSecondSpellingOfTheSameSignatureIsRefusedEvenAfterTheFirstWasCached() {
    String token = sign(claims());
    assertThat(outcome(token)).isEqualTo(ALICE);
    String[] parts = token.split("\\.");
    // An RS256 signature is 256 bytes: 342 characters, the last one carrying 4 unused bits.
    String respelled = parts[0] + "." + parts[1] + "." + withTrailingBits(parts[2]);
    assertThat(Base64.getUrlDecoder().decode(withTrailingBits(parts[2]))).isEqualTo(Base64.getUrlDecoder().decode(parts[2]));
    assertUnauthorized(respelled);
  }

  @Test
  void paddingWhitespaceAndForeignCharactersAreRefused() {
    String token = sign(claims());
    String[] parts = token.split("\\.");
    assertUnauthorized(parts[0] + "." + parts[1] + "." + parts[2] + "==");
    assertUnauthorized(parts[0] + "=." + parts[1] + "." + parts[2]);
    assertUnauthorized(parts[0] + "." + parts[1] + " ." + parts[2]);
    assertUnauthorized(" " + token);
    assertUnauthorized(token + "\n");
    assertUnauthorized(parts[0] + "." + parts[1].replace('-', '+').replace('_', '/') + "." + parts[2].replace('-', '+').replace('_', '/'));
    assertUnauthorized(parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[2]);
    assertUnauthorized(parts[0] + "." + parts[1] + ".");
    assertUnauthorized(parts[0] + ".." + parts[2]);
    assertThat(outcome(token)).isEqualTo(ALICE);
  }

  @Test
  void aTokenForAnotherAudienceOrNoneIsRefused() {
    assertUnauthorized(sign(claims().put("aud", "another-service")));
    assertUnauthorized(sign(claims().put("aud", new JsonArray().add("another-service"))));
    JsonObject none = claims();
    none.remove("aud");
    assertUnauthorized(sign(none));
    assertThat(outcome(sign(claims().put("aud", new JsonArray().add("another-service").add("tenantry"))))).isEqualTo(ALICE);
  }

  @Test
  void wronglyTypedTimeClaimsAreRefusedWith401() {
    long now = System.currentTimeMillis() / 1000;
    assertUnauthorized(sign(claims().put("exp", String.valueOf(now + 600))));
    assertUnauthorized(sign(claims().put("exp", new JsonObject())));
    assertUnauthorized(sign(claims().put("exp", true)));
    assertUnauthorized(sign(claims().put("exp", (now + 600) + 0.5)));
    assertUnauthorized(sign(claims().put("nbf", String.valueOf(now))));
    assertUnauthorized(sign(claims().put("nbf", new JsonArray())));
    assertUnauthorized(sign(claims().put("iat", String.valueOf(now))));
    assertUnauthorized(sign(claims().put("iat", new JsonObject())));
  }

  @Test
  void aMissingOrMistypedSubjectIsRefused() {
    JsonObject noSub = claims();
    noSub.remove("sub");
    assertUnauthorized(sign(noSub));
    assertUnauthorized(sign(claims().put("sub", 42)));
    assertUnauthorized(sign(claims().put("sub", new JsonArray().add(ALICE.userId().toString()))));
    assertUnauthorized(sign(claims().put("tenant", 7)));
    assertUnauthorized(sign(claims().put("roles", "member")));
    assertUnauthorized(sign(claims().put("roles", new JsonArray().add(1))));
  }
}
