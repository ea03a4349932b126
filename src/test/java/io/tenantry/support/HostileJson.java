package io.tenantry.support;

import io.vertx.core.buffer.Buffer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Request bodies the server must refuse with 400 (docs/records.md), each with words its problem detail must hold. All
 * but U+0000 are refused before anything reads the body; U+0000 by PostgreSQL when the write runs.
 */
public final class HostileJson {
  private static final String BY_POSTGRESQL = "cannot store";

  private HostileJson() {
  }

  /** {"n":[[...1...]]}: an object holding arrays, {@code depth} containers deep in all. */
  public static String nested(int depth) {
    return "{\"n\":" + "[".repeat(depth - 1) + "1" + "]".repeat(depth - 1) + "}";
  }

  /** Detail words -> body. */
  public static Map<String, Buffer> bodies() {
    Map<String, Buffer> bodies = new LinkedHashMap<>();
    bodies.put("nested deeper than 64 levels", Buffer.buffer(nested(998)));
    bodies.put("beyond the range of a double", Buffer.buffer("{\"n\":1e400}"));
    bodies.put("too small for a double", Buffer.buffer("{\"n\":1e-400}"));
    bodies.put("unpaired surrogate", Buffer.buffer("{\"s\":\"\\ud800\"}"));
    bodies.put("not valid UTF-8", withRawBytes(0xC0, 0xAF));
    bodies.put("encoded surrogates", withRawBytes(0xED, 0xA0, 0x80));
    bodies.put("comments are not allowed", Buffer.buffer("{\"a\":1 /* hidden */}"));
    bodies.put("appears twice", Buffer.buffer("{\"owner\":\"me\",\"owner\":\"you\"}"));
    bodies.put(BY_POSTGRESQL, Buffer.buffer("{\"s\":\"a\\u0000b\"}"));
    return bodies;
  }

  /** The bodies refused before authentication and routing, whatever the request addresses. */
  public static Map<String, Buffer> refusedBeforeRouting() {
    Map<String, Buffer> bodies = bodies();
    bodies.remove(BY_POSTGRESQL);
    return bodies;
  }

  /** {"s":"<bytes>"} with the bytes raw inside the string. */
  private static Buffer withRawBytes(int... bytes) {
    Buffer b = Buffer.buffer("{\"s\":\"");
    for (int x : bytes) {
      b.appendByte((byte) x);
    }
    return b.appendString("\"}");
  }
}
