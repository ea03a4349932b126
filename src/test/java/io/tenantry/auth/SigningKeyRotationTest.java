package io.tenantry.auth;

import io.tenantry.support.TestServer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating the signing key by kid through the HTTP API (docs/operations/runbooks.md, rotating the JWT signing key):
 * a node on the old key; a node on the new key with the old one as auth.jwt-second-public-key-file accepts the old
 * node's tokens and signs its own with the new kid; once the previous key is removed, the old tokens are refused.
 */
class SigningKeyRotationTest {
  private static Path dir;
  private static KeyPair oldPair;
  private static KeyPair newPair;
  private static TestServer oldNode;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("tenantry-jwt-rotation");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    oldPair = generator.generateKeyPair();
    newPair = generator.generateKeyPair();
    write("old-private.pem", JwtKeysPem.privatePem(oldPair));
    write("old-public.pem", JwtKeysPem.publicPem(oldPair));
    write("new-private.pem", JwtKeysPem.privatePem(newPair));
    write("new-public.pem", JwtKeysPem.publicPem(newPair));
    oldNode = TestServer.start(Map.of("auth.jwt-private-key-file", file("old-private.pem"),
      "auth.jwt-public-key-file", file("old-public.pem")));
  }

  @AfterAll
  static void stop() {
    if (oldNode != null) {
      oldNode.close();
    }
  }

  private static void write(String name, String pem) throws Exception {
    Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
  }

  private static String file(String name) {
    return dir.resolve(name).toString();
  }

  private static String kidOf(String token) {
    String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
      StandardCharsets.UTF_8);
    return new JsonObject(header).getString("kid");
  }

  private static int me(TestServer node, String token) {
    HttpResponse<Buffer> r = node.api.get("/auth/me", token);
    return r.statusCode();
  }

  @Test
  void tokensOfTheRetiredKeyStayValidDuringTheRotationAndNotAfter() {
    String oldToken = oldNode.adminToken();
    assertThat(kidOf(oldToken)).isEqualTo(JwtKeys.kid(JwtKeysPem.publicPem(oldPair)));
    assertThat(me(oldNode, oldToken)).isEqualTo(200);

    // Step 1: the node restarted with the new key, the old one kept as the previous key.
    String newToken;
    try (TestServer rotating = oldNode.peer(Map.of("auth.jwt-private-key-file", file("new-private.pem"),
      "auth.jwt-public-key-file", file("new-public.pem"), "auth.jwt-second-public-key-file", file("old-public.pem")))) {
      assertThat(me(rotating, oldToken)).as("a token of the previous key during the rotation").isEqualTo(200);
      newToken = rotating.adminToken();
      assertThat(kidOf(newToken)).isEqualTo(JwtKeys.kid(JwtKeysPem.publicPem(newPair)))
        .isNotEqualTo(kidOf(oldToken));
      assertThat(me(rotating, newToken)).isEqualTo(200);
    }

    // Step 2: the previous key removed once the old tokens have expired anyway.
    try (TestServer rotated = oldNode.peer(Map.of("auth.jwt-private-key-file", file("new-private.pem"),
      "auth.jwt-public-key-file", file("new-public.pem")))) {
      HttpResponse<Buffer> refused = rotated.api.get("/auth/me", oldToken);
      assertThat(refused.statusCode()).as("a token of the removed key").isEqualTo(401);
      assertThat(refused.getHeader("Content-Type")).startsWith("application/problem+json");
      assertThat(me(rotated, newToken)).isEqualTo(200);
    }
  }
}
