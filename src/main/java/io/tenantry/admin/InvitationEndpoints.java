package io.tenantry.admin;

import io.tenantry.auth.Caller;
import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.users.Invitations;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A tenant's invitations under /admin/v1/tenants/{slug}/invitations: invite (always an invitation the invitee must
 * accept, for super-admins too), list with their state, and revoke a pending one. For whoever may manage the
 * tenant's members (MembershipEndpoints): its tenant_admin while it is active, and super-admins.
 */
public final class InvitationEndpoints {
  private final MembershipEndpoints members;
  private final MemberEmailRule emailRule;
  private final Invitations invitations;

  public InvitationEndpoints(MembershipEndpoints members, TenantAdminEndpoints tenants) {
    this.members = members;
    this.emailRule = tenants.emailRule();
    this.invitations = tenants.invitationService();
  }

  public void invite(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String email = body.getString("email").strip();
    String role = body.getString("role");
    Caller caller = Caller.of(ctx);
    members.administered(ctx)
      .compose(tenant -> emailRule.check(tenant, email).map(tenant))
      .compose(tenant -> invitations.invite(tenant, email, role, caller.userId()))
      .onSuccess(sent -> Responses.json(ctx, 201, sent.toJson()))
      .onFailure(ctx::fail);
  }

  public void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    String state = ctx.request().getParam("state");
    members.administered(ctx)
      .compose(tenant -> {
        String scope = "invitations:" + tenant.id();
        return invitations.list(tenant, Paging.after(ctx, scope), state, limit + 1)
          .map(page -> Paging.page(page, limit, scope,
            row -> java.util.UUID.fromString(row.getString("invitation_id")), row -> row));
      })
      .onSuccess(page -> Responses.json(ctx, 200, page))
      .onFailure(ctx::fail);
  }

  public void revoke(RoutingContext ctx) {
    members.administered(ctx)
      .compose(tenant -> invitations.revoke(tenant, MembershipEndpoints.userId(ctx)))
      .onSuccess(v -> ctx.response().setStatusCode(204).end())
      .onFailure(failure -> ctx.fail(failure instanceof IllegalArgumentException
        ? Problem.badRequest(failure.getMessage()) : failure));
  }
}
