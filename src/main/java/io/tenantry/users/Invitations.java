package io.tenantry.users;

import io.tenantry.users.PasswordHashing;
import io.tenantry.http.Problem;
import io.tenantry.http.Uuids;
import io.tenantry.tenant.Tenant;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Joining a tenant by invitation. A tenant_admin's invitation is written with its e-mail to the outbox and answered
 * the same whether or not the e-mail has an account; the invitee consents by accepting with the token: with the
 * account's current password when there is one, else with a password of their choice, which creates the account.
 * The membership exists only once accepted.
 */
public final class Invitations {
  public static final Duration TTL = Duration.ofDays(7);

  /** An invitation as its inviter sees it: nothing about the invitee's account. */
  public record Sent(UUID id, UUID tenantId, String email, String role, OffsetDateTime expiresAt) {
    public JsonObject toJson() {
      return new JsonObject()
        .put("invitation_id", id.toString())
        .put("status", "invited")
        .put("email", email)
        .put("tenant_id", tenantId.toString())
        .put("role", role)
        .put("expires_at", expiresAt.toInstant().toString());
    }
  }

  /** The membership an accepted invitation created. */
  public record Accepted(UUID userId, String email, UUID tenantId, String role) {
    public JsonObject toJson() {
      return new JsonObject()
        .put("user_id", userId.toString())
        .put("email", email)
        .put("tenant_id", tenantId.toString())
        .put("role", role);
    }
  }

  private record Written(Sent sent, UUID mailId, Outbox.Message mail) {
  }

  /** Who accepts: an existing account (password verified) or a new one (password hashed). */
  private record Invitee(UUID userId, boolean isNew, String passwordHash) {
  }

  private final UserStore users;
  private final PasswordHashing passwords;
  private final Outbox outbox;
  private final PasswordPolicy policy;
  private final InvitationStore store = new InvitationStore();

  public Invitations(UserStore users, PasswordHashing passwords, Outbox outbox, PasswordPolicy policy) {
    this.users = users;
    this.passwords = passwords;
    this.outbox = outbox;
    this.policy = policy;
  }

  /** Invites {@code email}; no account is looked up, so nothing about it can show in the answer or its timing. */
  public Future<Sent> invite(Tenant tenant, String email, String role, UUID invitedBy) {
    UUID id = Uuids.v7();
    String token = InvitationTokens.create();
    return users.pool().withTransaction(tx -> store.insert(tx, id, tenant.id(), email, role, InvitationTokens.hash(token),
          invitedBy, TTL)
        .compose(expiresAt -> {
          Outbox.Message mail = message(tenant, email, role, token, expiresAt);
          return outbox.write(tx, mail).map(mailId -> new Written(new Sent(id, tenant.id(), email, role, expiresAt), mailId, mail));
        }))
      .map(written -> {
        outbox.logWritten(written.mailId(), written.mail());
        return written.sent();
      });
  }

  /** The tenant's invitations in creation order, a page after {@code after}; {@code state} null for all. */
  public Future<java.util.List<JsonObject>> list(Tenant tenant, UUID after, String state, int limit) {
    if (state != null && !InvitationStore.STATES.contains(state)) {
      return Future.failedFuture(Problem.badRequest("state must be one of pending, accepted, expired, revoked"));
    }
    return store.list(users.pool(), tenant.id(), after, state, limit);
  }

  /** Withdraws a pending invitation: its token can no longer be accepted. */
  public Future<Void> revoke(Tenant tenant, UUID id) {
    return store.revoke(users.pool(), tenant.id(), id).compose(refused -> refused.isEmpty()
      ? Future.succeededFuture()
      : Future.failedFuture(refused.get().equals("missing")
        ? Problem.notFound("no such invitation in this tenant")
        : Problem.conflict("the invitation is " + refused.get() + "; only a pending invitation can be revoked")));
  }

  public Future<Accepted> accept(String token, String password) {
    return store.byTokenHash(users.pool(), InvitationTokens.hash(token))
      .compose(found -> found.map(Invitations::acceptable)
        .orElseGet(() -> Future.failedFuture(Problem.notFound("unknown invitation token; ask for a new invitation"))))
      .compose(invitation -> users.byEmail(users.pool(), invitation.email())
        .compose(account -> invitee(account, password))
        .compose(invitee -> join(invitation, invitee)));
  }

  private static Future<InvitationStore.Found> acceptable(InvitationStore.Found invitation) {
    if (invitation.accepted()) {
      return Future.failedFuture(Problem.conflict("this invitation was already accepted; each can be used once"));
    }
    if (invitation.revoked()) {
      return Future.failedFuture(Problem.of(410, "gone", "Gone",
        "this invitation was withdrawn by the tenant's admin; ask them for a new one"));
    }
    if (invitation.expired()) {
      return Future.failedFuture(Problem.of(410, "gone", "Gone", "this invitation expired at "
        + invitation.expiresAt().toInstant() + "; ask the tenant's admin for a new one"));
    }
    if (!Tenant.Status.ACTIVE.sql().equals(invitation.tenantStatus())) {
      return Future.failedFuture(Problem.forbidden("the tenant is suspended; the invitation can be accepted once it "
        + "is active again, until " + invitation.expiresAt().toInstant()));
    }
    return Future.succeededFuture(invitation);
  }

  /** Consent: the current password of an existing account; a new account's chosen password. */
  private Future<Invitee> invitee(Optional<UserStore.User> account, String password) {
    if (account.isPresent()) {
      UserStore.User user = account.get();
      return passwords.verify(password, user.passwordHash())
        .compose(ok -> ok ? Future.succeededFuture(new Invitee(user.id(), false, null))
          : Future.failedFuture(Problem.unauthorized("this e-mail has an account: accept with its current password")));
    }
    return policy.check(password).compose(passwords::hash)
      .map(hash -> new Invitee(Uuids.v7(), true, hash));
  }

  private Future<Accepted> join(InvitationStore.Found invitation, Invitee invitee) {
    return users.pool().withTransaction(tx -> (invitee.isNew()
        ? users.insert(tx, invitee.userId(), invitation.email(), invitee.passwordHash(), false)
        : Future.succeededFuture(true))
      .compose(created -> created ? store.consume(tx, invitation.id(), invitee.userId())
        : Future.failedFuture(Problem.conflict("an account with this e-mail was created meanwhile; accept with its password")))
      .compose(consumed -> consumed ? users.addMembership(tx, invitee.userId(), invitation.tenantId(), invitation.role())
        : Future.failedFuture(Problem.conflict("this invitation was already accepted or has just expired")))
      .compose(added -> added
        ? Future.succeededFuture(new Accepted(invitee.userId(), invitation.email(), invitation.tenantId(), invitation.role()))
        : Future.failedFuture(Problem.conflict("you already are a member of this tenant"))));
  }

  private Outbox.Message message(Tenant tenant, String email, String role, String token, OffsetDateTime expiresAt) {
    String body = "You are invited to join " + tenant.name() + " (" + tenant.slug() + ") as " + role + ".\n"
      + "To accept, POST /auth/invitations/accept with\n"
      + new JsonObject().put("token", token).put("password", "<your password>").encodePrettily() + "\n"
      + "If you already have an account, give its current password; otherwise choose one (at least "
      + policy.minLength() + " characters, not a common password).\n"
      + "The invitation can be used once and expires at " + expiresAt.toInstant() + ".";
    return new Outbox.Message("invitation", email, "Invitation to " + tenant.name(), body);
  }
}
