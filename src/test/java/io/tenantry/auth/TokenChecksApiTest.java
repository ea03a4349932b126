package io.tenantry.auth;

import io.tenantry.support.TestServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;

import static io.tenantry.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** Over HTTP: tokens signed with the server's own key but respelled, for another audience or mistyped get 401. */
class TokenChecksApiTest {
  private static final String NOTES = "/api/v1/collections/notes/records";
  private static TestServer ts;
  private static String member;
  private static JWTAuth signer;

  @BeforeAll
  static void start() throws Exception {
    ts = TestServer.start();
    member = ts.tenantWithUser(ts.adminToken(), "alpha", "member");
    signer = JWTAuth.create(ts.vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256")
        .setBuffer(Files.readString(ts.config.dataDir().resolve("jwt-public.pem"))))
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256")
        .setBuffer(Files.readString(ts.config.dataDir().resolve("jwt-private.pem")))));
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  private static JsonObject memberClaims() {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(member.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private static String sign(JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("RS256").setNoTimestamp(true));
  }

  @Test
  void theServersOwnTokenCarriesTheConfiguredAudienceAndIsAccepted() {
    assertThat(memberClaims().getValue("aud")).isIn(ts.config.jwtAudience(), new JsonArray().add(ts.config.jwtAudience()));
    assertThat(ts.api.get(NOTES, member).statusCode()).isEqualTo(200);
    assertThat(ts.api.get(NOTES, sign(memberClaims())).statusCode()).isEqualTo(200);
  }

  @Test
  void aRespelledSignatureIsRefusedAfterTheOriginalWasAccepted() {
    assertThat(ts.api.get(NOTES, member).statusCode()).isEqualTo(200);
    String[] parts = member.split("\\.");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    String signature = parts[2];
    char last = alphabet.charAt(alphabet.indexOf(signature.charAt(signature.length() - 1)) | 1);
    String respelled = parts[0] + "." + parts[1] + "." + signature.substring(0, signature.length() - 1) + last;
    assertProblem(ts.api.get(NOTES, respelled), 401);
    assertProblem(ts.api.get(NOTES, member + "=="), 401);
  }

  @Test
  void aTokenWithoutTheAudienceOrForAnotherIsRefused() {
    JsonObject none = memberClaims();
    none.remove("aud");
    assertProblem(ts.api.get(NOTES, sign(none)), 401);
    assertProblem(ts.api.get(NOTES, sign(memberClaims().put("aud", "billing"))), 401);
  }

  @Test
  void wronglyTypedTimeClaimsAndAMissingSubjectAre401Not500() {
    JsonObject c = memberClaims();
    assertProblem(ts.api.get(NOTES, sign(c.copy().put("exp", String.valueOf(c.getLong("exp"))))), 401);
    assertProblem(ts.api.get(NOTES, sign(c.copy().put("nbf", "yesterday"))), 401);
    assertProblem(ts.api.get(NOTES, sign(c.copy().put("iat", new JsonObject()))), 401);
    JsonObject noSubject = c.copy();
    noSubject.remove("sub");
    assertProblem(ts.api.get(NOTES, sign(noSubject)), 401);
  }
}
