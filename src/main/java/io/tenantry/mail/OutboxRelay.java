package io.tenantry.mail;

import io.tenantry.config.Config;
import io.tenantry.users.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Relays the outbox's unsent e-mails to a {@link MailSender}; every node runs one. An e-mail is claimed by moving
 * its next attempt past a lease in one statement ({@code FOR UPDATE SKIP LOCKED}, so two nodes never claim the same
 * one) and sent outside any transaction: a slow SMTP server holds no connection of the pool and no lock. Delivery
 * is at least once — a node that dies after the server accepted an e-mail and before recording it leaves it to be
 * sent again when the lease ends. A failed send is retried after 2^attempts seconds (at most an hour) until
 * {@code maxAttempts}, then marked failed.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 20;
  static final int LEASE_SECONDS = 120;
  private static final String CLAIM = """
    UPDATE platform.outbox SET next_attempt_at = now() + make_interval(secs => $2)
    WHERE id IN (SELECT id FROM platform.outbox
                 WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
                 ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, recipient, subject, body, attempts""";
  private static final String SENT =
    "UPDATE platform.outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1";
  private static final String FAILED = """
    UPDATE platform.outbox SET attempts = attempts + 1, last_error = left($2, 1000),
      next_attempt_at = now() + make_interval(secs => least(3600, 2 ^ (attempts + 1))),
      failed_at = CASE WHEN attempts + 1 >= $3 THEN now() END
    WHERE id = $1""";

  private final Vertx vertx;
  private final Pool pool;
  private final MailSender sender;
  private final long pollMs;
  private final int maxAttempts;
  private long timer = -1;
  private boolean running;

  /** The node's relay: over SMTP when {@code mail.smtp-host} is set, else one that never runs (the outbox keeps them). */
  public static OutboxRelay of(Vertx vertx, Pool pool, Config.MailSettings settings) {
    return new OutboxRelay(vertx, pool, settings.sending() ? new SmtpSender(vertx, settings) : null,
      settings.pollMs(), settings.maxAttempts());
  }

  /** @param sender null: the relay does nothing */
  public OutboxRelay(Vertx vertx, Pool pool, MailSender sender, long pollMs, int maxAttempts) {
    this.vertx = vertx;
    this.pool = pool;
    this.sender = sender;
    this.pollMs = pollMs;
    this.maxAttempts = maxAttempts;
  }

  public void start() {
    if (sender != null) {
      timer = vertx.setPeriodic(pollMs, id -> runOnce());
    }
  }

  public void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (sender instanceof SmtpSender smtp) {
      smtp.close();
    }
  }

  /** One pass: claims due e-mails and sends them one after another; a pass still running is not doubled. */
  public Future<Integer> runOnce() {
    if (running || sender == null) {
      return Future.succeededFuture(0);
    }
    running = true;
    return pool.preparedQuery(CLAIM).execute(Tuple.of(BATCH, LEASE_SECONDS))
      .compose(rows -> {
        List<Claimed> claimed = new ArrayList<>(rows.size());
        rows.forEach(row -> claimed.add(Claimed.from(row)));
        Future<Integer> chain = Future.succeededFuture(0);
        for (Claimed mail : claimed) {
          chain = chain.compose(sent -> deliver(mail).map(ok -> ok ? sent + 1 : sent));
        }
        return chain;
      })
      .onFailure(e -> LOG.warn("outbox pass failed: {}", e.getMessage()))
      .eventually(() -> {
        running = false;
        return Future.succeededFuture();
      });
  }

  private Future<Boolean> deliver(Claimed mail) {
    return sender.send(mail.message())
      .compose(
        sent -> pool.preparedQuery(SENT).execute(Tuple.of(mail.id())).map(true),
        failure -> {
          LOG.atWarn().addKeyValue("outboxId", mail.id()).addKeyValue("attempt", mail.attempts() + 1)
            .log("e-mail not sent: " + failure.getMessage());
          String error = String.valueOf(failure.getMessage());
          return pool.preparedQuery(FAILED).execute(Tuple.of(mail.id(), error, maxAttempts)).map(false);
        });
  }

  private record Claimed(UUID id, Outbox.Message message, int attempts) {
    static Claimed from(Row row) {
      return new Claimed(row.getUUID("id"), new Outbox.Message(row.getString("kind"), row.getString("recipient"),
        row.getString("subject"), row.getString("body")), row.getInteger("attempts"));
    }
  }
}
