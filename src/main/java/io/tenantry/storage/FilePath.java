package io.tenantry.storage;

import io.tenantry.http.Problem;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * A file's path as the tenant names it: a key in the tenant's metadata, never a filesystem path or an object key
 * (blobs have names the server makes). It is still held to a strict form, so that one file has one name and no
 * client can smuggle in something a tool downstream (an export, a sync to a filesystem) would read as a traversal:
 * UTF-8 of 1 to {@value #MAX_BYTES} bytes, in Unicode NFC, {@code /}-separated segments that are neither empty,
 * {@code .} nor {@code ..}, without control characters, backslashes, {@code %} (so a double-encoded path stays
 * refused, never decoded once more) or U+FFFD (what an overlong or broken UTF-8 sequence decodes to).
 */
public record FilePath(String value) {
  public static final int MAX_BYTES = 1024;
  static final String RULES = "file paths are 1 to " + MAX_BYTES + " bytes of UTF-8 in Unicode NFC, '/'-separated "
    + "segments that are not empty, '.' or '..', without control characters, '\\', '%' or U+FFFD";

  public static FilePath parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      throw refused("the path is empty");
    }
    if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw refused("the path is longer than " + MAX_BYTES + " bytes");
    }
    if (!Normalizer.isNormalized(raw, Normalizer.Form.NFC)) {
      throw refused("the path is not in Unicode NFC");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\' || c == '%' || c == '\ufffd'
        || Character.isSurrogate(c) && !validSurrogateAt(raw, i)) {
        throw refused("the path contains a character that is not allowed");
      }
    }
    for (String segment : raw.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw refused("the path has an empty, '.' or '..' segment");
      }
    }
    return new FilePath(raw);
  }

  /** A prefix for listing: the same characters, but it may be empty or end with '/'. */
  public static String prefix(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "";
    }
    String probe = raw.endsWith("/") ? raw + "x" : raw;
    parse(probe);
    return raw;
  }

  private static boolean validSurrogateAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  private static Problem refused(String why) {
    return Problem.badRequest(why + ": " + RULES);
  }
}
