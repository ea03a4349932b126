package io.tenantry.support;

import io.tenantry.config.Config;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tokens of the e-mails in platform.outbox, read as a mailer would. */
public final class MailedTokens {
  private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([A-Za-z0-9_-]{20,})\"");

  private MailedTokens() {
  }

  /** The token of the newest e-mail to {@code email}; fails the test when there is none. */
  public static String newest(Config config, String email) {
    try (Connection c = TestEnv.connect(config.dbName(), TestEnv.adminUser());
         PreparedStatement st = c.prepareStatement(
           "SELECT body FROM platform.outbox WHERE lower(recipient) = lower(?) ORDER BY created_at DESC, id DESC LIMIT 1")) {
      st.setString(1, email);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new AssertionError("no e-mail to " + email + " in the outbox");
        }
        Matcher m = TOKEN.matcher(rs.getString(1));
        if (!m.find()) {
          throw new AssertionError("no token in " + rs.getString(1));
        }
        return m.group(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
