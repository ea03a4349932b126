package io.tenantry.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.tenantry.support.Eventually;
import io.tenantry.support.TestEnv;
import io.tenantry.support.TestServer;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox relayed to a real SMTP server (GreenMail): delivered once, and retried while the server is down. */
class OutboxRelayTest {
  private static final int SMTP_PORT = TestServer.freePort();
  private static GreenMail smtp;
  private static TestServer ts;

  @BeforeAll
  static void start() {
    smtp = smtpServer();
    ts = TestServer.start(Map.of("mail.smtp-host", "127.0.0.1", "mail.smtp-port", String.valueOf(SMTP_PORT),
      "mail.starttls", "disabled", "mail.poll-ms", "100", "mail.from", "Tenantry <no-reply@tenantry.test>",
      "login.address-failures", "100000"));
  }

  @AfterAll
  static void stop() {
    ts.close();
    smtp.stop();
  }

  private static GreenMail smtpServer() {
    GreenMail server = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
    return server;
  }

  private static void requestReset(String email) {
    assertThat(ts.api.post("/auth/password-reset", null, new JsonObject().put("email", email)).statusCode()).isEqualTo(202);
  }

  @Test
  void anInvitationIsSentOnceWithTheBodyTheOutboxHolds() throws Exception {
    String boss = ts.tenantWithUser(ts.adminToken(), "mailco", "tenant_admin");
    assertThat(ts.api.post("/admin/v1/tenants/mailco/users", boss,
      new JsonObject().put("email", "dana@mailco.test").put("role", "member")).statusCode()).isEqualTo(202);

    Eventually.within(Duration.ofSeconds(10), "the invitation delivered",
      () -> Arrays.stream(smtp.getReceivedMessages()).anyMatch(m -> to(m, "dana@mailco.test")));
    MimeMessage mail = Arrays.stream(smtp.getReceivedMessages()).filter(m -> to(m, "dana@mailco.test")).findFirst().orElseThrow();
    Row row = row("dana@mailco.test");
    // SMTP carries lines ended by CRLF
    assertThat(GreenMailUtil.getBody(mail).replace("\r\n", "\n").strip()).isEqualTo(row.body.strip());
    assertThat(mail.getSubject()).isEqualTo(row.subject);
    assertThat(mail.getFrom()[0].toString()).contains("no-reply@tenantry.test");
    Eventually.within(Duration.ofSeconds(5), "the e-mail recorded as sent", () -> row("dana@mailco.test").sent);
    assertThat(row("dana@mailco.test").attempts).isEqualTo(1);
    assertThat(Arrays.stream(smtp.getReceivedMessages()).filter(m -> to(m, "dana@mailco.test")).count()).isEqualTo(1);
  }

  @Test
  void aFailedSendIsRetriedAndDeliveredWhenTheServerIsBack() {
    smtp.stop();
    try {
      requestReset(TestServer.ADMIN_EMAIL);
      Eventually.within(Duration.ofSeconds(10), "a failed attempt recorded", () -> {
        Row row = row(TestServer.ADMIN_EMAIL);
        return row != null && row.attempts >= 1 && row.error != null && !row.sent;
      });
    } finally {
      smtp = smtpServer();
    }
    Eventually.within(Duration.ofSeconds(20), "the reset e-mail delivered after the server came back",
      () -> row(TestServer.ADMIN_EMAIL).sent);
    assertThat(Arrays.stream(smtp.getReceivedMessages()).filter(m -> to(m, TestServer.ADMIN_EMAIL)).count()).isEqualTo(1);
    Row row = row(TestServer.ADMIN_EMAIL);
    assertThat(row.attempts).isGreaterThanOrEqualTo(2);
    assertThat(row.error).isNull();
  }

  private static boolean to(MimeMessage message, String recipient) {
    try {
      return message.getAllRecipients()[0].toString().equalsIgnoreCase(recipient);
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Row(String subject, String body, boolean sent, int attempts, String error) {
  }

  private static Row row(String recipient) {
    try (Connection c = TestEnv.connect(ts.config.dbName(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement("SELECT subject, body, sent_at IS NOT NULL, attempts, last_error "
           + "FROM platform.outbox WHERE lower(recipient) = lower(?) ORDER BY created_at DESC LIMIT 1")) {
      st.setString(1, recipient);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getInt(4), rs.getString(5)) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
