package io.tenantry.auth;

import io.tenantry.http.Responses;
import io.tenantry.users.PasswordResets;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /auth/password-reset and /auth/password-reset/confirm, both public. A request is answered 202 with the same
 * body at once, before any lookup, so neither the answer nor its timing says whether the e-mail has an account.
 * Every request counts against its e-mail and its client address in a {@link LoginThrottle} of its own; a throttled
 * one writes nothing, so the outbox cannot be flooded for an address, nor from one client.
 */
public final class PasswordResetEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordResetEndpoint.class);
  static final JsonObject ACCEPTED = new JsonObject()
    .put("status", "accepted")
    .put("detail", "if an account has this e-mail, a message with a password-reset token is on its way");

  private final PasswordResets resets;
  private final LoginThrottle throttle;

  public PasswordResetEndpoint(PasswordResets resets, LoginThrottle throttle) {
    this.resets = resets;
    this.throttle = throttle;
  }

  public void request(RoutingContext ctx) {
    String email = ctx.body().asJsonObject().getString("email").strip();
    String account = LoginKeys.account(email);
    String address = LoginKeys.address(ctx.request().remoteAddress());
    if (!throttle.refused(account, address)) {
      throttle.failed(account, address);
      resets.request(email).onFailure(e -> LOG.warn("password-reset request failed: {}", e.toString()));
    }
    Responses.json(ctx, 202, ACCEPTED.copy());
  }

  public void confirm(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    resets.confirm(body.getString("token"), body.getString("password"))
      .onSuccess(userId -> Responses.noContent(ctx))
      .onFailure(ctx::fail);
  }
}
