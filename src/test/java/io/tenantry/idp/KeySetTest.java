package io.tenantry.idp;

import io.tenantry.support.Await;
import io.tenantry.support.TestIdp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Only RS256 (RSA) and ES256 (EC P-256) signature keys of a JWKS are ever loaded. */
class KeySetTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  @Test
  void symmetricEncryptionAndOtherCurveKeysAreDropped() throws Exception {
    JsonObject rsa = TestIdp.jwk(TestIdp.rsa("rsa"));
    JsonObject ec = TestIdp.jwk(TestIdp.ec("ec"));
    JsonObject noAlg = TestIdp.jwk(TestIdp.rsa("no-alg"));
    noAlg.remove("alg");
    JsonObject oct = new JsonObject().put("kty", "oct").put("kid", "hmac").put("alg", "HS256")
      .put("k", Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
    JsonObject encryption = TestIdp.jwk(TestIdp.rsa("enc")).put("use", "enc");
    JsonObject mislabelled = TestIdp.jwk(TestIdp.rsa("rs512")).put("alg", "RS512");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp384r1"));
    ECPublicKey p384 = (ECPublicKey) generator.generateKeyPair().getPublic();
    JsonObject otherCurve = new JsonObject().put("kty", "EC").put("kid", "p384").put("crv", "P-384")
      .put("x", Base64.getUrlEncoder().withoutPadding().encodeToString(p384.getW().getAffineX().toByteArray()))
      .put("y", Base64.getUrlEncoder().withoutPadding().encodeToString(p384.getW().getAffineY().toByteArray()));

    KeySet set = KeySet.of(vertx, new JsonObject().put("keys", new JsonArray()
      .add(rsa).add(ec).add(noAlg).add(oct).add(encryption).add(mislabelled).add(otherCurve)), new JWTOptions());
    assertThat(set.kids()).isEqualTo(Set.of("rsa", "ec", "no-alg"));
    assertThat(set.size()).isEqualTo(3);
  }

  @Test
  void aJwksWithoutAUsableKeyIsRefused() {
    assertThatThrownBy(() -> KeySet.of(vertx, new JsonObject().put("keys", new JsonArray()), new JWTOptions()))
      .hasMessageContaining("no RS256 or ES256");
    assertThatThrownBy(() -> KeySet.of(vertx, new JsonObject(), new JWTOptions())).hasMessageContaining("no RS256 or ES256");
  }
}
