package io.tenantry.users;

import io.tenantry.http.Responses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** POST /auth/invitations/accept: public; the token is the credential, the password the invitee's consent. */
public final class InvitationEndpoint {
  private final Invitations invitations;

  public InvitationEndpoint(Invitations invitations) {
    this.invitations = invitations;
  }

  public void accept(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    invitations.accept(body.getString("token"), body.getString("password"))
      .onSuccess(accepted -> {
        ctx.response().putHeader("Cache-Control", "no-store");
        Responses.json(ctx, 201, accepted.toJson());
      })
      .onFailure(ctx::fail);
  }
}
