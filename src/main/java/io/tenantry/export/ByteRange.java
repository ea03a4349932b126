package io.tenantry.export;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 §14.1.2) over a file of known size. Several ranges
 * in one header are answered with the whole file (a server may ignore Range), which keeps downloads resumable
 * without multipart responses.
 */
record ByteRange(long start, long end) {
  private static final Pattern ONE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  /** Thrown for a range that lies outside the file: 416 with {@code Content-Range: bytes *}{@code /size}. */
  static final class Unsatisfiable extends RuntimeException {
    Unsatisfiable() {
      super(null, null, false, false);
    }
  }

  long length() {
    return end - start + 1;
  }

  /** @return the range asked for, or null for the whole file (no header, several ranges, or one not understood) */
  static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    Matcher m = ONE.matcher(header.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    try {
      if (m.group(1).isEmpty()) { // the last N bytes
        long n = Long.parseLong(m.group(2));
        if (n == 0 || size == 0) {
          throw new Unsatisfiable();
        }
        return new ByteRange(Math.max(0, size - n), size - 1);
      }
      long start = Long.parseLong(m.group(1));
      long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (start >= size || end < start) {
        throw new Unsatisfiable();
      }
      return new ByteRange(start, end);
    } catch (NumberFormatException e) { // more digits than a long holds: beyond any file
      throw new Unsatisfiable();
    }
  }
}
