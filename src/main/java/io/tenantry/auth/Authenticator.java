package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.vertx.core.Future;

/**
 * Turns an Authorization header into a verified {@link Caller}: {@code Bearer <JWT>} or {@code ApiKey <key>}. A
 * header that is present but bad is always refused, even on public routes, so a client never mistakes a broken
 * token for a working one.
 */
public final class Authenticator {
  private static final String BEARER = "Bearer ";
  private static final String API_KEY = "ApiKey ";

  private final Tokens tokens;
  private final ApiKeyVerifier keys;

  public Authenticator(Tokens tokens) {
    this(tokens, ApiKeyVerifier.NONE);
  }

  public Authenticator(Tokens tokens, ApiKeyVerifier keys) {
    this.tokens = tokens;
    this.keys = keys;
  }

  /** @param header the Authorization header's value, not null */
  public Future<Caller> authenticate(String header) {
    if (header.length() > BEARER.length() && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return tokens.verify(header.substring(BEARER.length()).trim());
    }
    if (header.length() > API_KEY.length() && header.regionMatches(true, 0, API_KEY, 0, API_KEY.length())) {
      return keys.verify(header.substring(API_KEY.length()).trim());
    }
    return Future.failedFuture(Problem.unauthorized("use Authorization: Bearer <token> or Authorization: ApiKey <key>"));
  }
}
