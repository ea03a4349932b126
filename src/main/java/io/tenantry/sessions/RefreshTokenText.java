package io.tenantry.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** A refresh token's text (256 random bits, "rt_" + unpadded base64url) and the SHA-256 that is stored. */
final class RefreshTokenText {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String PREFIX = "rt_";

  private RefreshTokenText() {
  }

  static String create() {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  static byte[] hash(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
