package io.tenantry.mail;

import io.tenantry.config.Config;
import io.tenantry.users.Outbox;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

import java.util.Locale;

/** Sends over SMTP with Vert.x's non-blocking mail client (a small pool of kept-alive connections). */
public final class SmtpSender implements MailSender {
  /** A server that accepts the connection but never answers must not hold a send forever. */
  private static final int TIMEOUT_MS = 30_000;

  private final MailClient client;
  private final String from;

  public SmtpSender(Vertx vertx, Config.MailSettings settings) {
    MailConfig config = new MailConfig()
      .setHostname(settings.smtpHost())
      .setPort(settings.smtpPort())
      .setStarttls(StartTLSOptions.valueOf(settings.starttls().toUpperCase(Locale.ROOT)))
      .setLogin(settings.username().isEmpty() ? LoginOption.DISABLED : LoginOption.REQUIRED)
      .setMaxPoolSize(2);
    config.setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS / 1000);
    if (!settings.username().isEmpty()) {
      config.setUsername(settings.username()).setPassword(settings.password());
    }
    this.client = MailClient.createShared(vertx, config, "tenantry-outbox");
    this.from = settings.from();
  }

  @Override
  public Future<Void> send(Outbox.Message message) {
    MailMessage mail = new MailMessage()
      .setFrom(from)
      .setTo(message.recipient())
      .setSubject(message.subject())
      .setText(message.body());
    return client.sendMail(mail).mapEmpty();
  }

  public Future<Void> close() {
    return client.close();
  }
}
