package io.tenantry.users;

import io.tenantry.users.PasswordHashing;
import io.tenantry.config.Config;
import io.tenantry.config.ConfigException;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Creates the first super-admin at first start. In prod its email and password must be configured; the dev
 * profile falls back to a documented development account and says so once, when it creates it.
 */
public final class BootstrapAdmin {
  public static final String DEV_EMAIL = "admin@tenantry.local";
  public static final String DEV_PASSWORD = "tenantry-dev-password";
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapAdmin.class);

  private final Config config;
  private final UserStore users;
  private final PasswordHashing passwords;
  private final PasswordPolicy policy;

  public BootstrapAdmin(Config config, UserStore users, PasswordHashing passwords, PasswordPolicy policy) {
    this.config = config;
    this.users = users;
    this.passwords = passwords;
    this.policy = policy;
  }

  public Future<Void> ensure() {
    return users.anySuperAdmin().compose(exists -> exists ? Future.succeededFuture() : create());
  }

  private Future<Void> create() {
    boolean dev = config.profile() != Config.Profile.PROD;
    String email = config.adminEmail().isEmpty() && dev ? DEV_EMAIL : config.adminEmail();
    String password = config.adminPassword().isEmpty() && dev ? DEV_PASSWORD : config.adminPassword();
    if (email.isEmpty() || !email.contains("@")) {
      return Future.failedFuture(new ConfigException("admin.email", "a valid email is required to create the first super-admin"));
    }
    if (policy.refusal(password) != null) {
      return Future.failedFuture(new ConfigException("admin.password", "the first super-admin's " + policy.refusal(password).getMessage()));
    }
    return passwords.hash(password)
      .compose(hash -> users.insert(users.pool(), UUID.randomUUID(), email, hash, true))
      .compose(created -> created ? Future.succeededFuture() : users.makeSuperAdmin(email))
      .onSuccess(v -> {
        if (password.equals(DEV_PASSWORD)) {
          LOG.warn("dev profile: created super-admin {} with the development password '{}' - never use this in production",
            email, DEV_PASSWORD);
        } else {
          LOG.info("created super-admin {}", email);
        }
      });
  }
}
