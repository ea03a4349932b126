package io.tenantry.mail;

import io.tenantry.users.Outbox;
import io.vertx.core.Future;

/** Delivers one e-mail of the outbox; a failed future leaves it to be retried. */
public interface MailSender {
  Future<Void> send(Outbox.Message message);
}
