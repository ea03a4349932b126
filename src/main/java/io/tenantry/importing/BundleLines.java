package io.tenantry.importing;

import io.tenantry.export.Sha256;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Reads an NDJSON part line by line while hashing its bytes, so that a part is checked in the one pass that hashes it. */
final class BundleLines {
  /** Looks at one line; throws (a {@link BundleRefused} problem) to refuse the bundle. */
  interface Check {
    void line(int number, String line);
  }

  private BundleLines() {
  }

  /** Reads {@code in} to its end, each line through {@code check}; returns the part's SHA-256 in hex. */
  static String read(InputStream in, Check check) throws IOException {
    MessageDigest sha = Sha256.digest();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(new DigestInputStream(in, sha),
      StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line; (line = lines.readLine()) != null; ) {
        check.line(++n, line);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** The line as a JSON object; else the bundle is refused, naming the part and the line. */
  static JsonObject object(String part, int number, String line) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      throw BundleRefused.because(where(part, number) + " is not a JSON object");
    }
  }

  /** How a refusal names a line. */
  static String where(String part, int number) {
    return "part " + part + " line " + number;
  }
}
