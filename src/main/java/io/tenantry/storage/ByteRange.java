package io.tenantry.storage;

import io.tenantry.http.Problem;

/** A single byte range of a GET (RFC 9110 section 14): bytes=a-b, bytes=a- or bytes=-n. Several ranges are not served. */
record ByteRange(long start, long length) {
  /** The range asked for in {@code header} of a file of {@code size} bytes; null when the whole file is asked. */
  static ByteRange parse(String header, long size) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (!h.startsWith("bytes=") || h.contains(",")) {
      return null; // other units and multiple ranges: the whole file (a server may ignore Range)
    }
    String spec = h.substring(6).strip();
    int dash = spec.indexOf('-');
    try {
      if (dash < 0) {
        return null;
      }
      String a = spec.substring(0, dash).strip();
      String b = spec.substring(dash + 1).strip();
      long start;
      long end;
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0) {
          throw unsatisfiable(size);
        }
        start = Math.max(0, size - suffix);
        end = size - 1;
      } else {
        start = Long.parseLong(a);
        end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
        if (!b.isEmpty() && Long.parseLong(b) < start) {
          return null; // syntactically invalid: ignored
        }
      }
      if (start >= size || start < 0) {
        throw unsatisfiable(size);
      }
      return new ByteRange(start, end - start + 1);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  String contentRange(long size) {
    return "bytes " + start + "-" + (start + length - 1) + "/" + size;
  }

  private static Problem unsatisfiable(long size) {
    return Problem.of(416, "range-not-satisfiable", "Range not satisfiable",
      "the file has " + size + " bytes; ask for a range within them").withHeader("Content-Range", "bytes */" + size);
  }
}
