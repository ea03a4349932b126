package io.tenantry.idp;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One version of an issuer's keys: the verifier built from its JWKS and the key ids it holds. Only signature keys
 * for RS256 (RSA) and ES256 (EC P-256) are kept; symmetric ("oct") and other keys are dropped, so no token can be
 * verified with an HMAC over a public key, whatever its header says. Immutable: a rotation builds a new one.
 */
record KeySet(JWTAuth verifier, Set<String> kids, int size) {
  static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");

  static KeySet empty(Vertx vertx, JWTOptions checks) {
    return new KeySet(JWTAuth.create(vertx, new JWTAuthOptions().setJWTOptions(checks)), Set.of(), 0);
  }

  static KeySet of(Vertx vertx, JsonObject jwks, JWTOptions checks) {
    JsonArray keys = jwks.getValue("keys") instanceof JsonArray array ? array : new JsonArray();
    List<JsonObject> usable = new ArrayList<>();
    Set<String> kids = new HashSet<>();
    for (Object entry : keys) {
      if (entry instanceof JsonObject key) {
        JsonObject jwk = usable(key);
        if (jwk != null) {
          usable.add(jwk);
          if (jwk.getValue("kid") instanceof String kid) {
            kids.add(kid);
          }
        }
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("the JWKS holds no RS256 or ES256 signature key");
    }
    return new KeySet(JWTAuth.create(vertx, new JWTAuthOptions().setJwks(usable).setJWTOptions(checks)),
      Set.copyOf(kids), usable.size());
  }

  /** The key with its alg made explicit, or null when it is not a signature key this platform accepts. */
  private static JsonObject usable(JsonObject key) {
    Object use = key.getValue("use");
    if (use != null && !"sig".equals(use)) {
      return null;
    }
    String kty = key.getValue("kty") instanceof String text ? text : "";
    Object alg = key.getValue("alg");
    String implied = switch (kty) {
      case "RSA" -> "RS256";
      case "EC" -> "P-256".equals(key.getValue("crv")) ? "ES256" : null;
      default -> null;
    };
    if (implied == null || (alg != null && !implied.equals(alg))) {
      return null;
    }
    return key.copy().put("alg", implied);
  }
}
