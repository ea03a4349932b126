package io.tenantry.auth;

import io.tenantry.http.Problem;
import io.vertx.core.Handler;
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
    handle(ctx, RoutingContext::next);
  }

  /**
   * Authenticates, then hands the request to {@code then} rather than to the next route: a step that must follow
   * authentication (the data plane's tenant resolution) runs in the same router step — each root handler is one
   * more pass through the router for every request.
   */
  public void handle(RoutingContext ctx, Handler<RoutingContext> then) {
    if (Caller.of(ctx) != null) {
      then.handle(ctx); // rerouted request, already authenticated
      return;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      then.handle(ctx);
      return;
    }
    if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || header.length() == PREFIX.length()) {
      ctx.fail(Problem.unauthorized("use Authorization: Bearer <token>"));
      return;
    }
    tokens.verify(header.substring(PREFIX.length()).trim())
      .onSuccess(caller -> {
        caller.attachTo(ctx);
        then.handle(ctx);
      })
      .onFailure(ctx::fail);
  }
}
