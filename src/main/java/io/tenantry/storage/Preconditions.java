package io.tenantry.storage;

import io.tenantry.http.Problem;

import java.util.Optional;

/**
 * If-Match / If-None-Match of a write, checked against the current file before any byte is read and again under
 * the row lock when the metadata is committed. ETags are strong: "&lt;sha256&gt;".
 */
record Preconditions(String ifMatch, boolean ifNoneMatchAny) {
  static Preconditions of(String ifMatch, String ifNoneMatch) {
    if (ifNoneMatch != null && !ifNoneMatch.strip().equals("*")) {
      throw Problem.badRequest("a write takes If-None-Match: * only (refuse to overwrite)");
    }
    return new Preconditions(ifMatch == null ? null : ifMatch.strip(), ifNoneMatch != null);
  }

  void check(Optional<FileMeta> current) {
    if (ifNoneMatchAny && current.isPresent()) {
      throw Problem.preconditionFailed("the file exists (If-None-Match: *)");
    }
    if (ifMatch != null && !ifMatch.equals("*") && current.map(f -> !matches(ifMatch, f.etag())).orElse(true)) {
      throw Problem.preconditionFailed("the file's ETag is not the one given in If-Match");
    }
    if ("*".equals(ifMatch) && current.isEmpty()) {
      throw Problem.preconditionFailed("there is no such file (If-Match: *)");
    }
  }

  /** A list of ETags, as RFC 9110 allows. */
  static boolean matches(String header, String etag) {
    for (String candidate : header.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }
}
