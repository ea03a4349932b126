package io.tenantry.idp;

import io.tenantry.auth.Caller;
import io.tenantry.auth.ExternalVerifier;
import io.tenantry.config.ExternalIssuer;
import io.tenantry.http.Problem;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.client.WebClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tokens of the configured external identity providers (auth.external-issuers). A token is verified with its issuer's
 * keys only — its header must say RS256 or ES256 and, when it names a {@code kid}, one the issuer publishes (an unknown
 * kid reloads the keys, rate-limited) — then its issuer, audience and expiry are checked, and its claims mapped to a
 * {@link Caller} ({@link ExternalClaims}). Every refusal is a 401 problem.
 */
public final class ExternalTokens implements ExternalVerifier {
  private static final Problem INVALID = Problem.unauthorized("the token is invalid or expired");

  private final Map<String, IssuerKeys> issuers = new HashMap<>();
  private final ExternalClaims claims;
  private final WebClient client;

  public ExternalTokens(Vertx vertx, List<ExternalIssuer> settings, TenantRegistry registry) {
    this.client = settings.stream().anyMatch(s -> !s.jwksUrl().isEmpty()) ? WebClient.create(vertx) : null;
    for (ExternalIssuer issuer : settings) {
      JWTOptions checks = new JWTOptions().setIssuer(issuer.issuer()).setLeeway(5)
        .setAudience(issuer.audience() == null ? new ArrayList<>() : List.of(issuer.audience()));
      JwksSource source = issuer.jwksUrl().isEmpty() ? JwksSource.file(vertx, issuer.jwksFile())
        : JwksSource.url(client, issuer.jwksUrl());
      issuers.put(issuer.issuer(), new IssuerKeys(vertx, issuer, source, checks));
    }
    this.claims = new ExternalClaims(registry);
  }

  /** Loads every issuer's keys (a file that cannot be read fails the start) and keeps them fresh. */
  public Future<Void> start() {
    List<Future<Void>> started = new ArrayList<>();
    issuers.values().forEach(keys -> started.add(keys.start()));
    return Future.all(started).mapEmpty();
  }

  public void stop() {
    issuers.values().forEach(IssuerKeys::stop);
    if (client != null) {
      client.close();
    }
  }

  @Override
  public boolean configured() {
    return !issuers.isEmpty();
  }

  @Override
  public boolean handles(String issuer) {
    return issuer != null && issuers.containsKey(issuer);
  }

  @Override
  public Future<Verified> verify(String token, String issuer) {
    IssuerKeys keys = issuers.get(issuer);
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
        StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Future.failedFuture(Problem.unauthorized("the token's header is malformed"));
    }
    if (!(header.getValue("alg") instanceof String alg) || !KeySet.ALGORITHMS.contains(alg)) {
      return Future.failedFuture(Problem.unauthorized("tokens of " + issuer + " must be signed with RS256 or ES256"));
    }
    Object kid = header.getValue("kid");
    if (kid != null && !(kid instanceof String)) {
      return Future.failedFuture(Problem.unauthorized("the token's header is malformed"));
    }
    KeySet known = keys.current();
    boolean knownKey = kid == null ? known.size() > 0 : known.kids().contains(kid);
    Future<KeySet> usable = knownKey ? Future.succeededFuture(known) : keys.afterUnknownKid();
    return usable.compose(set -> {
      if (kid != null && !set.kids().contains(kid)) {
        return Future.failedFuture(Problem.unauthorized("the token's signing key (kid) is not one " + issuer + " publishes"));
      }
      return authenticate(set, token);
    }).compose(user -> claims.toVerified(keys.settings(), user.attributes().getJsonObject("accessToken")));
  }

  private static Future<User> authenticate(KeySet set, String token) {
    try {
      return set.verifier().authenticate(new TokenCredentials(token)).recover(e -> Future.failedFuture(INVALID));
    } catch (RuntimeException e) {
      // vertx-auth-jwt reads exp, iat and nbf as numbers after the signature check, throwing on other types.
      return Future.failedFuture(Problem.unauthorized("the token's claims are malformed"));
    }
  }
}
