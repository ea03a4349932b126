package io.tenantry.settings;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Feature flags as a user sees them: a boolean as is; {@code {"percentage": p}} is on for a user whose bucket
 * (0..99, from a hash of the flag's key and the user's id) is below p. The same user always lands in the same
 * bucket of a flag, so raising p only turns the flag on for more users, never off for one who had it; buckets of
 * different flags are independent.
 */
public final class FeatureRollout {
  public static final String PREFIX = "features.";

  private FeatureRollout() {
  }

  public static boolean isFlag(String key) {
    return key.startsWith(PREFIX);
  }

  public static boolean enabled(String key, Object value, UUID userId) {
    if (value instanceof Boolean on) {
      return on;
    }
    if (value instanceof JsonObject rollout && rollout.getValue("percentage") instanceof Number percentage) {
      return bucket(key, userId) < percentage.intValue();
    }
    return false;
  }

  static int bucket(String key, UUID userId) {
    byte[] digest = sha256(key + "\n" + userId);
    int head = ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8) | (digest[3] & 0xff);
    return Integer.remainderUnsigned(head, 100);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
