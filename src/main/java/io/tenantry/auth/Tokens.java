package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Issues and verifies the platform's RS256 access tokens. Thread-safe; shared by all HTTP verticles. */
public final class Tokens {
  private static final String ALGORITHM = "RS256";
  /** Verified tokens kept per node; at ~1 KiB each, 10,000 tokens is about 10 MiB. */
  static final int CACHE_SIZE = 10_000;

  private final JWTAuth jwt;
  private final String issuer;
  private final int ttlSeconds;
  private final VerifiedTokens verified = new VerifiedTokens(CACHE_SIZE);

  public Tokens(Vertx vertx, JwtKeys keys, String issuer, int ttlSeconds) {
    this.issuer = issuer;
    this.ttlSeconds = ttlSeconds;
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.publicPem()))
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.privatePem()))
      .setJWTOptions(new JWTOptions().setAlgorithm(ALGORITHM).setIssuer(issuer).setLeeway(5)));
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** @param tenantId null for a token that names no tenant */
  public String issue(UUID userId, UUID tenantId, List<String> roles) {
    JsonObject claims = new JsonObject()
      .put("sub", userId.toString())
      .put("jti", UUID.randomUUID().toString())
      .put("roles", new JsonArray(roles));
    if (tenantId != null) {
      claims.put("tenant", tenantId.toString());
    }
    return jwt.generateToken(claims, new JWTOptions()
      .setAlgorithm(ALGORITHM).setIssuer(issuer).setExpiresInSeconds(ttlSeconds));
  }

  /**
   * Verifies signature, algorithm, issuer and expiry; fails with a 401 problem. A token verified before is
   * answered from the cache of verified tokens until its exp (without the verifier's leeway).
   */
  public Future<Caller> verify(String token) {
    Caller known = verified.get(token, System.currentTimeMillis());
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return jwt.authenticate(new TokenCredentials(token))
      .recover(e -> Future.failedFuture(Problem.unauthorized("the token is invalid or expired")))
      .compose(user -> {
        JsonObject claims = user.attributes().getJsonObject("accessToken");
        Caller caller;
        try {
          caller = toCaller(claims);
        } catch (RuntimeException e) {
          return Future.failedFuture(Problem.unauthorized("the token's claims are malformed"));
        }
        verified.put(token, caller, claims.getLong("exp") * 1000, System.currentTimeMillis());
        return Future.succeededFuture(caller);
      });
  }

  private static Caller toCaller(JsonObject claims) {
    if (!(claims.getValue("exp") instanceof Number)) {
      throw new IllegalArgumentException("no numeric exp");
    }
    UUID user = UUID.fromString(claims.getString("sub"));
    String tenant = claims.getString("tenant");
    Set<String> roles = new HashSet<>();
    JsonArray array = claims.getJsonArray("roles", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      roles.add(array.getString(i));
    }
    return new Caller(user, tenant == null ? null : UUID.fromString(tenant), Set.copyOf(roles));
  }
}
