package io.tenantry.users;

import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What every password set must be: at least users.password-min-length characters, and not on the bundled list of
 * common passwords (lower-cased, so case variations of a listed one are refused too). The list is read once at
 * start, on a worker thread: 49k lines are too much work for an event loop.
 */
public final class PasswordPolicy {
  static final String LIST = "passwords/common-passwords.txt";

  private final int minLength;
  private final Set<String> common;

  PasswordPolicy(int minLength, Set<String> common) {
    this.minLength = minLength;
    this.common = common;
  }

  public static Future<PasswordPolicy> load(Vertx vertx, int minLength) {
    return vertx.executeBlocking(() -> new PasswordPolicy(minLength, read()));
  }

  public int minLength() {
    return minLength;
  }

  /** @return null when acceptable, else the problem saying what is required (never the password itself) */
  public Problem refusal(String password) {
    if (password == null || password.length() < minLength) {
      return Problem.badRequest("password must have at least " + minLength + " characters");
    }
    if (common.contains(password.toLowerCase(Locale.ROOT))) {
      return Problem.badRequest("password is on a list of commonly used or breached passwords; choose one that is "
        + "not (at least " + minLength + " characters)");
    }
    return null;
  }

  /** The password, or a failed future with the refusal. */
  public Future<String> check(String password) {
    Problem refusal = refusal(password);
    return refusal == null ? Future.succeededFuture(password) : Future.failedFuture(refusal);
  }

  private static Set<String> read() {
    InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(LIST);
    if (in == null) {
      throw new IllegalStateException(LIST + " is missing from the class path");
    }
    Set<String> words = new HashSet<>(65_536);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          words.add(line.strip().toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Set.copyOf(words);
  }
}
