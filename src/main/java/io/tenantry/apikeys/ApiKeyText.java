package io.tenantry.apikeys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The spelling of an API key: {@code tk_<key id, 32 hex digits>_<secret, 43 base64url characters>}. The id makes a
 * key self-identifying (verification is one lookup by id); the secret is 256 random bits, of which only the
 * SHA-256 is stored.
 */
final class ApiKeyText {
  private static final Pattern FORMAT = Pattern.compile("tk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SECRET_BYTES = 32;

  record Parsed(UUID id, String secret) {
  }

  private ApiKeyText() {
  }

  /** A new key for {@code id}: the text to hand out once. */
  static String create(UUID id) {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return "tk_" + id.toString().replace("-", "") + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The id and secret of a well-formed key, or null. */
  static Parsed parse(String key) {
    if (key.length() != 79 || !FORMAT.matcher(key).matches()) {
      return null;
    }
    String hex = key.substring(3, 35);
    UUID id = new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
    return new Parsed(id, key.substring(36));
  }

  /**
   * SHA-256 of the secret. A fast hash is enough: a slow one protects guessable passwords, while a 256-bit random
   * secret cannot be found from its hash by any amount of guessing.
   */
  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
