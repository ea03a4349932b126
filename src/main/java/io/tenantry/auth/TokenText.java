package io.tenantry.auth;

/**
 * The one accepted spelling of a compact JWS: three base64url segments without padding whose unused low bits are
 * zero. Base64 decoders ignore those bits, so without this check one signed token has several accepted spellings
 * (and several entries in the cache of verified tokens); with it, a token's text is a function of its bytes.
 */
final class TokenText {
  private TokenText() {
  }

  static boolean isCanonical(String token) {
    int start = 0;
    for (int segment = 0; segment < 3; segment++) {
      int end = segment < 2 ? token.indexOf('.', start) : token.length();
      if (end < 0 || !isCanonicalSegment(token, start, end)) {
        return false;
      }
      start = end + 1;
    }
    return true;
  }

  /** Unpadded base64url of at least one byte, every character from the alphabet, unused trailing bits zero. */
  private static boolean isCanonicalSegment(String text, int start, int end) {
    int length = end - start;
    if (length == 0 || length % 4 == 1) {
      return false;
    }
    int last = 0;
    for (int i = start; i < end; i++) {
      last = value(text.charAt(i));
      if (last < 0) {
        return false;
      }
    }
    int unusedBits = switch (length % 4) {
      case 2 -> 4;
      case 3 -> 2;
      default -> 0;
    };
    return (last & ((1 << unusedBits) - 1)) == 0;
  }

  private static int value(char c) {
    return c < VALUES.length ? VALUES[c] : -1;
  }

  /** The base64url alphabet's values by character; -1 for every other character. */
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }
}
