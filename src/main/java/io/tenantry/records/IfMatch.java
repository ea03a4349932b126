package io.tenantry.records;

import io.tenantry.http.Problem;

/**
 * The If-Match precondition of a write: absent (unconditional), "*" (any existing version) or a list of strong
 * ETags of versions. Weak ETags never match (RFC 9110 strong comparison).
 */
public record IfMatch(boolean present, boolean any, long[] versions) {
  public static final IfMatch NONE = new IfMatch(false, false, new long[0]);

  public static IfMatch parse(String header) {
    if (header == null) {
      return NONE;
    }
    String trimmed = header.trim();
    if (trimmed.equals("*")) {
      return new IfMatch(true, true, new long[0]);
    }
    String[] tags = trimmed.split(",");
    long[] versions = new long[tags.length];
    int n = 0;
    for (String tag : tags) {
      String t = tag.trim();
      if (t.length() > 2 && t.startsWith("\"") && t.endsWith("\"")) {
        try {
          versions[n++] = Long.parseLong(t.substring(1, t.length() - 1));
        } catch (NumberFormatException ignored) {
          // an ETag we never issued: it cannot match
        }
      }
    }
    return new IfMatch(true, false, java.util.Arrays.copyOf(versions, n));
  }

  public boolean matches(long version) {
    if (!present || any) {
      return true;
    }
    for (long v : versions) {
      if (v == version) {
        return true;
      }
    }
    return false;
  }

  /** Fails with 412 unless the stored version satisfies the precondition. */
  public void check(long version) {
    if (!matches(version)) {
      throw Problem.preconditionFailed("the record has changed: its version is now " + version);
    }
  }
}
