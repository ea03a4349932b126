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
  private final List<String> audience;
  private final int ttlSeconds;
  private final VerifiedTokens verified = new VerifiedTokens(CACHE_SIZE);
  private final RevokedTokens revoked = new RevokedTokens();
  private final ExternalVerifier external;

  public Tokens(Vertx vertx, JwtKeys keys, String issuer, String audience, int ttlSeconds) {
    this(vertx, keys, issuer, audience, ttlSeconds, ExternalVerifier.NONE);
  }

  /** @param external verifies the tokens of configured external issuers (docs/identity.md#external-issuers) */
  public Tokens(Vertx vertx, JwtKeys keys, String issuer, String audience, int ttlSeconds, ExternalVerifier external) {
    this.external = external.configured() ? external : ExternalVerifier.NONE;
    this.issuer = issuer;
    this.audience = List.of(audience);
    this.ttlSeconds = ttlSeconds;
    // Every key carries its kid: new tokens name the signing key in their header, and a token naming a kid is
    // checked against that key only (an unknown kid is refused). Tokens from before kids (no header kid) are
    // checked against each key. Only the current key can sign: the second one is a public key.
    String kid = keys.currentKid();
    JWTAuthOptions options = new JWTAuthOptions()
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setId(kid).setBuffer(keys.publicPem()))
      .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setId(kid).setBuffer(keys.privatePem()))
      .setJWTOptions(new JWTOptions().setAlgorithm(ALGORITHM).setIssuer(issuer).setAudience(this.audience).setLeeway(5));
    if (!keys.secondPublicPem().isEmpty()) {
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setId(JwtKeys.kid(keys.secondPublicPem()))
        .setBuffer(keys.secondPublicPem()));
    }
    this.jwt = JWTAuth.create(vertx, options);
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** A token with a jti of the caller's choosing, so that it can be recorded with a refresh token and revoked. */
  public String issue(UUID userId, UUID tenantId, List<String> roles, int ttlSeconds, UUID jti) {
    return sign(claims(userId, tenantId, roles).put("jti", jti.toString()), ttlSeconds);
  }

  /** Refuses a token by jti from now on, on this node, until {@code expiresAtMillis}; evicts it from the cache. */
  public void revoke(String jti, long expiresAtMillis) {
    revoked.revoke(jti, expiresAtMillis);
    verified.evict(revoked);
  }

  /** Refuses every token of {@code user} issued before {@code notBeforeSeconds} (its iat below it), on this node. */
  public void revokeBefore(UUID user, long notBeforeSeconds) {
    revoked.revokeBefore(user, notBeforeSeconds);
    verified.evict(revoked);
  }

  /** Forgets revocations of tokens now expired anyway: the set stays bounded by the tokens still alive. */
  public void purgeRevocations(long nowMillis) {
    revoked.purge(nowMillis);
  }

  /** @param tenantId null for a token that names no tenant */
  public String issue(UUID userId, UUID tenantId, List<String> roles) {
    return issue(userId, tenantId, roles, ttlSeconds);
  }

  /** With a lifetime of its own: a tenant's auth.token_ttl_seconds, never above auth.token-ttl-seconds. */
  public String issue(UUID userId, UUID tenantId, List<String> roles, int ttlSeconds) {
    return sign(claims(userId, tenantId, roles), ttlSeconds);
  }

  /**
   * A super-admin's token acting as {@code userId} in {@code tenantId} with {@code role}: its {@code act} claim names
   * the super-admin (RFC 8693), which makes it an impersonation token ({@link Caller#impersonator()}).
   */
  public String issueImpersonation(UUID userId, UUID tenantId, String role, UUID actor, int ttlSeconds, UUID jti) {
    return sign(claims(userId, tenantId, List.of(role)).put("jti", jti.toString())
      .put("act", new JsonObject().put("sub", actor.toString())), ttlSeconds);
  }

  /** A token acting as a verified API key: its tenant, its scopes and its id ("scopes", "key" claims). */
  public String issueFor(Caller key) {
    return sign(claims(key.userId(), key.tenantId(), List.copyOf(key.roles()))
      .put("scopes", new JsonArray(List.copyOf(key.scopes())))
      .put("key", key.keyId().toString()), ttlSeconds);
  }

  private static JsonObject claims(UUID userId, UUID tenantId, List<String> roles) {
    JsonObject claims = new JsonObject()
      .put("sub", userId.toString())
      .put("jti", UUID.randomUUID().toString())
      .put("roles", new JsonArray(roles));
    if (tenantId != null) {
      claims.put("tenant", tenantId.toString());
    }
    return claims;
  }

  private String sign(JsonObject claims, int ttlSeconds) {
    return jwt.generateToken(claims, new JWTOptions()
      .setAlgorithm(ALGORITHM).setIssuer(issuer).setAudience(audience).setExpiresInSeconds(Math.min(ttlSeconds, this.ttlSeconds)));
  }

  /**
   * Verifies spelling, signature, algorithm, issuer, audience, expiry and the types of the claims read; fails with
   * a 401 problem. A token verified before is answered from the cache of verified tokens until its exp (without the
   * verifier's leeway); only canonically spelled tokens reach the cache, so one signed token is one cache entry and
   * one accepted string. A revoked token (by jti, or issued before its user's sessions were revoked) is refused;
   * revoking evicts it from the cache, so a cache hit needs no revocation check at all.
   */
  public Future<Caller> verify(String token) {
    // Only canonical tokens are ever put in the cache, so a hit is canonical: the spelling check costs nothing on
    // the path of a repeated token and still runs before anything else looks at a new one.
    Caller known = verified.get(token, System.currentTimeMillis());
    if (known != null) {
      return Future.succeededFuture(known);
    }
    if (!TokenText.isCanonical(token)) {
      return Future.failedFuture(Problem.unauthorized("the token is not a compact JWS in unpadded base64url"));
    }
    if (external != ExternalVerifier.NONE) {
      String tokenIssuer = issuerOf(token);
      if (!issuer.equals(tokenIssuer) && external.handles(tokenIssuer)) {
        return external.verify(token, tokenIssuer).compose(v -> remember(token, v.caller(), v.expSeconds(), v.jti(),
          v.issuedAtSeconds()));
      }
    }
    Future<io.vertx.ext.auth.User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException e) {
      // vertx-auth-jwt reads exp, iat and nbf as numbers after the signature check, throwing on other types.
      return Future.failedFuture(Problem.unauthorized("the token's claims are malformed"));
    }
    return authenticated
      .recover(e -> Future.failedFuture(Problem.unauthorized("the token is invalid or expired")))
      .compose(user -> {
        JsonObject claims = user.attributes().getJsonObject("accessToken");
        Caller caller;
        try {
          caller = toCaller(claims);
        } catch (RuntimeException e) {
          return Future.failedFuture(Problem.unauthorized("the token's claims are malformed"));
        }
        String jti = claims.getValue("jti") instanceof String text ? text : null;
        long issuedAt = claims.getValue("iat") instanceof Number number ? number.longValue() : 0;
        return remember(token, caller, claims.getLong("exp"), jti, issuedAt);
      });
  }

  /** A verified token's caller, unless revoked; cached until its exp. */
  private Future<Caller> remember(String token, Caller caller, long expSeconds, String jti, long issuedAt) {
    if (revoked.refuses(jti, caller.userId(), issuedAt)) {
      return Future.failedFuture(Problem.unauthorized("the token has been revoked"));
    }
    verified.put(token, caller, expSeconds * 1000, System.currentTimeMillis(), jti, issuedAt);
    // A revocation that arrived between the check and the put has evicted before the entry existed: look again.
    if (revoked.refuses(jti, caller.userId(), issuedAt)) {
      verified.evict(revoked);
      return Future.failedFuture(Problem.unauthorized("the token has been revoked"));
    }
    return Future.succeededFuture(caller);
  }

  /** The iss of a canonical token's payload, unverified (it only picks the verifier), or null. */
  private static String issuerOf(String token) {
    try {
      int start = token.indexOf('.') + 1;
      JsonObject payload = new JsonObject(new String(java.util.Base64.getUrlDecoder()
        .decode(token.substring(start, token.indexOf('.', start))), java.nio.charset.StandardCharsets.UTF_8));
      return payload.getValue("iss") instanceof String text ? text : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Caller toCaller(JsonObject claims) {
    requireWholeNumber(claims, "exp", true);
    requireWholeNumber(claims, "iat", false);
    requireWholeNumber(claims, "nbf", false);
    UUID user = UUID.fromString(text(claims.getValue("sub"), "sub"));
    Object tenant = claims.getValue("tenant");
    Set<String> roles = new HashSet<>();
    Object array = claims.getValue("roles", new JsonArray());
    if (!(array instanceof JsonArray list)) {
      throw new IllegalArgumentException("roles is not an array");
    }
    for (Object role : list) {
      roles.add(text(role, "roles"));
    }
    Set<String> scopes = null;
    Object scopeArray = claims.getValue("scopes");
    if (scopeArray != null) {
      if (!(scopeArray instanceof JsonArray scopeList)) {
        throw new IllegalArgumentException("scopes is not an array");
      }
      scopes = new HashSet<>();
      for (Object scope : scopeList) {
        scopes.add(text(scope, "scopes"));
      }
      scopes = Set.copyOf(scopes);
    }
    Object key = claims.getValue("key");
    UUID impersonator = null;
    Object act = claims.getValue("act");
    if (act != null) {
      if (!(act instanceof JsonObject actor)) {
        throw new IllegalArgumentException("act is not an object");
      }
      impersonator = UUID.fromString(text(actor.getValue("sub"), "act.sub"));
      roles.remove(Caller.SUPER_ADMIN); // an impersonation token acts as its user, never as a super-admin
    }
    return new Caller(user, tenant == null ? null : UUID.fromString(text(tenant, "tenant")), Set.copyOf(roles),
      scopes, key == null ? null : UUID.fromString(text(key, "key")), impersonator);
  }

  /** NumericDate claims as this platform issues them: whole seconds. */
  private static void requireWholeNumber(JsonObject claims, String name, boolean required) {
    Object value = claims.getValue(name);
    if (value == null ? required : !(value instanceof Integer || value instanceof Long)) {
      throw new IllegalArgumentException(name + " is not a whole number");
    }
  }

  private static String text(Object value, String name) {
    if (!(value instanceof String string)) {
      throw new IllegalArgumentException(name + " is not a string");
    }
    return string;
  }
}
