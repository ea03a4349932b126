package io.tenantry.admin;

import io.tenantry.auth.Access;
import io.tenantry.auth.Caller;
import io.tenantry.users.PasswordHashing;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.http.Uuids;
import io.tenantry.provisioning.Provisioning;
import io.tenantry.templates.TemplateEndpoints;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.tenantry.users.InvitationEndpoint;
import io.tenantry.users.Invitations;
import io.tenantry.users.PasswordPolicy;
import io.tenantry.users.UserStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.UUID;

/**
 * The control plane's tenant routes under /admin/v1/tenants. A super-admin may do anything here; a tenant's
 * tenant_admin may read its tenant (without where its database lives) and invite users to it while it is active.
 */
public final class TenantAdminEndpoints {
  private final TenantStore store;
  private final TenantRegistry registry;
  private final NewTenants newTenants;
  private final UserStore users;
  private final PasswordHashing passwords;
  private final Isolation defaultIsolation;
  private final TenantTimeoutsEndpoint timeouts;
  private final Invitations invitations;
  private final InvitationEndpoint invitationEndpoint;
  private final PasswordPolicy policy;
  private final MemberEmailRule emailRule;
  private final Delegation delegation;
  private final TenantRenameEndpoint rename;

  public TenantAdminEndpoints(TenantStore store, TenantRegistry registry, Provisioning provisioning,
                              TemplateEndpoints templates, UserStore users, PasswordHashing passwords, Isolation defaultIsolation, Invitations invitations,
                              PasswordPolicy policy, MemberEmailRule emailRule) {
    this.emailRule = emailRule;
    this.store = store;
    this.registry = registry;
    this.timeouts = new TenantTimeoutsEndpoint(store, registry);
    this.newTenants = new NewTenants(provisioning, templates);
    this.users = users;
    this.passwords = passwords;
    this.defaultIsolation = defaultIsolation;
    this.invitations = invitations;
    this.invitationEndpoint = new InvitationEndpoint(invitations);
    this.policy = policy;
    this.delegation = new Delegation(registry);
    this.rename = new TenantRenameEndpoint(this, store, registry);
  }

  /** The public route that accepts the invitations made here. */
  MemberEmailRule emailRule() {
    return emailRule;
  }

  Invitations invitationService() {
    return invitations;
  }

  public InvitationEndpoint invitations() {
    return invitationEndpoint;
  }

  public void create(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    TenantRequest request = TenantRequest.parse(body, defaultIsolation);
    newTenants.create(ctx, body, request, store::create);
  }

  /** Tenant creation, shared with child creation (HierarchyEndpoints). */
  NewTenants newTenants() {
    return newTenants;
  }

  public void get(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    administered(ctx, false)
      .compose(tenant -> view(caller, tenant))
      .onSuccess(json -> Responses.json(ctx, 200, json))
      .onFailure(ctx::fail);
  }

  public TenantRenameEndpoint rename() {
    return rename;
  }

  public void suspend(RoutingContext ctx) {
    setStatus(ctx, Tenant.Status.SUSPENDED);
  }

  public void resume(RoutingContext ctx) {
    setStatus(ctx, Tenant.Status.ACTIVE);
  }

  /**
   * A super-admin adds the user directly (creating the account when the e-mail is new). A tenant_admin invites:
   * 202 with the invitation, the same whether or not the e-mail has an account — an account joins another tenant
   * only with its owner's consent (accepting with its password), and the answer tells nobody it exists.
   */
  public void addUser(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject();
    String email = body.getString("email").strip();
    String password = body.getString("password");
    String role = body.getString("role");
    if (!Caller.TENANT_ROLES.contains(role)) {
      ctx.fail(Problem.badRequest("role must be one of tenant_admin, member, read_only"));
      return;
    }
    Caller caller = Caller.of(ctx);
    administered(ctx, true)
      .compose(tenant -> emailRule.check(tenant, email).map(tenant))
      .compose(tenant -> caller.superAdmin()
        ? addDirectly(tenant, email, password, role)
        : invite(tenant, email, password, role, caller.userId()))
      .onSuccess(json -> Responses.json(ctx, caller.superAdmin() ? 201 : 202, json))
      .onFailure(ctx::fail);
  }

  private Future<JsonObject> addDirectly(Tenant tenant, String email, String password, String role) {
    return hash(password).compose(hash -> addMember(tenant, email, hash, role))
      .map(userId -> new JsonObject()
        .put("user_id", userId.toString())
        .put("email", email)
        .put("tenant_id", tenant.id().toString())
        .put("role", role));
  }

  private Future<JsonObject> invite(Tenant tenant, String email, String password, String role, UUID invitedBy) {
    if (password != null) {
      return Future.failedFuture(Problem.badRequest("a tenant_admin invites without a password: the invitee accepts "
        + "with POST /auth/invitations/accept and their own password"));
    }
    return invitations.invite(tenant, email, role, invitedBy).map(Invitations.Sent::toJson);
  }

  private Future<Optional<String>> hash(String password) {
    if (password == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return policy.check(password).compose(passwords::hash).map(Optional::of);
  }

  /** A super-admin's add: new users are created with the password; existing ones keep theirs and gain the membership. */
  private Future<UUID> addMember(Tenant tenant, String email, Optional<String> hash, String role) {
    return users.pool().withTransaction(tx -> users.byEmail(tx, email).compose(existing -> {
      if (existing.isPresent()) {
        return Future.succeededFuture(existing.get().id());
      }
      if (hash.isEmpty()) {
        return Future.failedFuture(Problem.badRequest("password is required for a new user"));
      }
      UUID id = Uuids.v7();
      return users.insert(tx, id, email, hash.get(), false)
        .compose(created -> created ? Future.succeededFuture(id)
          : Future.failedFuture(Problem.conflict("the user was created concurrently; retry")));
    }).compose(userId -> users.addMembership(tx, userId, tenant.id(), role)
      .compose(added -> added ? Future.succeededFuture(userId)
        : Future.failedFuture(Problem.conflict("the user is already a member of this tenant")))));
  }

  private void setStatus(RoutingContext ctx, Tenant.Status status) {
    store.setStatus(ctx.pathParam("slug"), status)
      .compose(updated -> updated.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(Problem.notFound("unknown tenant (or still being provisioned)"))))
      .onSuccess(tenant -> {
        registry.changed(tenant);
        Responses.json(ctx, 200, tenant.toJson());
      })
      .onFailure(ctx::fail);
  }

  /**
   * A tenant as the caller may see it ({@link TenantView}); a super-admin also sees its rate-limit plan, read from
   * its row (the cached tenant does not carry it: a plan change does not evict the tenant cache).
   */
  Future<JsonObject> view(Caller caller, Tenant tenant) {
    JsonObject json = TenantView.of(caller, tenant);
    return caller.superAdmin()
      ? store.plan(tenant.id()).map(plan -> plan.map(p -> json.put("plan", p)).orElse(json))
      : Future.succeededFuture(json);
  }

  /**
   * The tenant named in the path, if the caller may administer it (super-admin or its tenant_admin). A write by a
   * tenant_admin needs the tenant to be active: suspension stops its admins too (their tokens outlive it), and
   * only a super-admin changes a suspended tenant.
   */
  Future<Tenant> administered(RoutingContext ctx, boolean write) {
    Caller caller = Caller.of(ctx);
    return delegation.reached(caller, ctx.pathParam("slug")).compose(tenant -> {
      Problem archived = write ? io.tenantry.tenant.ArchivedTenants.refusal(ctx, tenant) : null;
      return archived != null ? Future.failedFuture(archived) : delegation.mayChange(caller, tenant, write ? "it" : null);
    });
  }

  public TenantTimeoutsEndpoint timeouts() {
    return timeouts;
  }
}
