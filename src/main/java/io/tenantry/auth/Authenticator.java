package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Verifies a bearer token when the request carries one and attaches the {@link Caller}. Requests without a
 * token pass on; routes that need a caller say so with {@link Access}. A token that is present but bad is
 * always refused, even on public routes, so a client never mistakes a broken token for a working one.
 */
public final class Authenticator {
  private static final String PREFIX = "Bearer ";

  private final Tokens tokens;

  public Authenticator(Tokens tokens) {
    this.tokens = tokens;
  }

  public void handle(RoutingContext ctx) {
    if (Caller.of(ctx) != null) {
      ctx.next(); // rerouted request, already authenticated
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      ctx.next();
      return;
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.length() == PREFIX.length()) {
      ctx.fail(Problem.unauthorized("use Authorization: Bearer <token>"));
      return;
    }
    tokens.verify(header.substring(PREFIX.length()).trim())
      .onSuccess(caller -> {
        caller.attachTo(ctx);
        ctx.next();
      })
      .onFailure(ctx::fail);
  }
}
