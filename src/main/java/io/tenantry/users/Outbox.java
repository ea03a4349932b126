package io.tenantry.users;

import io.tenantry.http.Uuids;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * E-mails to send, written in the transaction of what caused them (so none is lost or sent for a rolled-back
 * change); mail.OutboxRelay sends them when SMTP is configured, else they stay for another mailer. Each is logged once written.
 * The body of an invitation carries its token, so outside development only the recipient and id are logged.
 */
public final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  private static final String INSERT =
    "INSERT INTO platform.outbox (id, kind, recipient, subject, body) VALUES ($1, $2, $3, $4, $5)";

  /** One e-mail. */
  public record Message(String kind, String recipient, String subject, String body) {
  }

  private final boolean logBodies;

  /** @param logBodies whether the log shows what the e-mail says (development and tests only: it holds secrets) */
  public Outbox(boolean logBodies) {
    this.logBodies = logBodies;
  }

  /** @return the message's id */
  Future<UUID> write(SqlClient client, Message message) {
    UUID id = Uuids.v7();
    Tuple row = Tuple.of(id, message.kind(), message.recipient(), message.subject(), message.body());
    return client.preparedQuery(INSERT).execute(row).map(rows -> id);
  }

  /** Logs a message once its transaction committed. */
  void logWritten(UUID id, Message message) {
    if (logBodies) {
      LOG.info("outbox {}: {} to {}: {}\n{}", id, message.kind(), message.recipient(), message.subject(), message.body());
    } else {
      LOG.info("outbox {}: {} to {}", id, message.kind(), message.recipient());
    }
  }
}
