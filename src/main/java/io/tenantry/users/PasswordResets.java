package io.tenantry.users;

import io.tenantry.http.Problem;
import io.tenantry.http.Uuids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Resetting a forgotten password: a request writes a single-use, expiring token (only its SHA-256 kept) to the outbox
 * for an existing account and nothing for an unknown e-mail; confirming with the token sets a password that passes
 * the policy. Tokens are made and hashed like invitation tokens ({@link InvitationTokens}).
 */
public final class PasswordResets {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordResets.class);

  private record Written(UUID mailId, Outbox.Message mail) {
  }

  private final UserStore users;
  private final PasswordHashing passwords;
  private final Outbox outbox;
  private final PasswordPolicy policy;
  private final Duration ttl;
  private final PasswordResetStore store = new PasswordResetStore();

  public PasswordResets(UserStore users, PasswordHashing passwords, Outbox outbox, PasswordPolicy policy, Duration ttl) {
    this.users = users;
    this.passwords = passwords;
    this.outbox = outbox;
    this.policy = policy;
    this.ttl = ttl;
  }

  /** @return whether an e-mail was written (never shown to the requester) */
  public Future<Boolean> request(String email) {
    return users.byEmail(users.pool(), email).compose(account -> account.isEmpty()
      ? Future.succeededFuture(false)
      : write(account.get()).map(true));
  }

  /** Sets the account's password; the token is then used up, as are the account's other pending resets. */
  public Future<UUID> confirm(String token, String password) {
    return policy.check(password)
      .compose(ok -> store.byTokenHash(users.pool(), InvitationTokens.hash(token)))
      .compose(found -> found.map(PasswordResets::usable)
        .orElseGet(() -> Future.failedFuture(Problem.notFound("unknown password-reset token; ask for a new one"))))
      .compose(reset -> passwords.hash(password).compose(hash -> users.pool().withTransaction(tx ->
        store.consume(tx, reset.id()).compose(consumed -> consumed
          ? store.setPassword(tx, reset.userId(), hash).map(reset.userId())
          : Future.failedFuture(Problem.conflict("this password-reset token was already used or has just expired"))))));
  }

  private static Future<PasswordResetStore.Found> usable(PasswordResetStore.Found reset) {
    if (reset.used()) {
      return Future.failedFuture(Problem.conflict("this password-reset token was already used; each can be used once"));
    }
    if (reset.expired()) {
      return Future.failedFuture(Problem.of(410, "gone", "Gone", "this password-reset token expired at "
        + reset.expiresAt().toInstant() + "; ask for a new one"));
    }
    return Future.succeededFuture(reset);
  }

  private Future<Void> write(UserStore.User account) {
    String token = InvitationTokens.create();
    return users.pool().withTransaction(tx -> store.insert(tx, Uuids.v7(), account.id(), InvitationTokens.hash(token), ttl)
        .compose(expiresAt -> {
          Outbox.Message mail = message(account.email(), token, expiresAt);
          return outbox.write(tx, mail).map(id -> new Written(id, mail));
        }))
      .onSuccess(written -> outbox.logWritten(written.mailId(), written.mail()))
      .onFailure(e -> LOG.warn("password reset for {} not written: {}", account.id(), e.toString()))
      .mapEmpty();
  }

  private Outbox.Message message(String email, String token, OffsetDateTime expiresAt) {
    String body = "Someone asked to reset the password of your account " + email + ".\n"
      + "To choose a new password, POST /auth/password-reset/confirm with\n"
      + new JsonObject().put("token", token).put("password", "<your new password>").encodePrettily() + "\n"
      + "The password needs at least " + policy.minLength() + " characters and must not be a common password.\n"
      + "The token can be used once and expires at " + expiresAt.toInstant() + ". If you did not ask, ignore this e-mail.";
    return new Outbox.Message("password_reset", email, "Reset your password", body);
  }
}
