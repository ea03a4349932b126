package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.vertx.core.Future;

/**
 * Turns an Authorization header into a verified {@link Caller}. A header that is present but bad is always refused,
 * even on public routes, so a client never mistakes a broken token for a working one.
 */
public final class Authenticator {
  private static final String PREFIX = "Bearer ";

  private final Tokens tokens;

  public Authenticator(Tokens tokens) {
    this.tokens = tokens;
  }

  /** @param header the Authorization header's value, not null */
  public Future<Caller> authenticate(String header) {
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.length() == PREFIX.length()) {
      return Future.failedFuture(Problem.unauthorized("use Authorization: Bearer <token>"));
    }
    return tokens.verify(header.substring(PREFIX.length()).trim());
  }
}
