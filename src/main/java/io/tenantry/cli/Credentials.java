package io.tenantry.cli;

import io.vertx.core.json.JsonObject;

/**
 * Who the CLI is: a bearer token given as is ({@code --token}, {@code TENANTRY_TOKEN}), or an e-mail and password
 * ({@code --email}, {@code TENANTRY_PASSWORD}; optionally {@code --tenant}) exchanged for one at /auth/token on
 * first use. The password never comes from the command line, where other users of the machine could read it.
 */
final class Credentials {
  private final String givenToken;
  private final String email;
  private final String password;
  private final String tenant;
  private volatile String token;

  private Credentials(String givenToken, String email, String password, String tenant) {
    this.givenToken = givenToken;
    this.email = email;
    this.password = password;
    this.tenant = tenant;
  }

  static Credentials token(String token) {
    return new Credentials(token, null, null, null);
  }

  static Credentials password(String email, String password, String tenant) {
    return new Credentials(null, email, password, tenant);
  }

  synchronized String token(AdminClient client) {
    if (givenToken != null) {
      return givenToken;
    }
    if (token == null) {
      JsonObject body = new JsonObject().put("email", email).put("password", password);
      if (tenant != null) {
        body.put("tenant", tenant);
      }
      token = client.signIn(body);
    }
    return token;
  }

  boolean canSignInAgain() {
    return givenToken == null;
  }

  synchronized void forget() {
    token = null;
  }
}
