package io.tenantry.records.changes;

import io.tenantry.http.Problem;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * A position in a collection's change feed: every change of a transaction whose id is below {@code xid}, and those
 * of transaction {@code xid} up to audit entry {@code entry}, have been handed out. Changes are ordered by (writing
 * transaction id, entry id), and a reader only ever sees changes of transactions below its snapshot's xmin — all
 * ended, so nothing can still appear before a position once it was handed out. Opaque to clients (base64url); a
 * token that does not parse is a 400. It carries nothing secret: reading through it is always the caller's own
 * tenant and collection.
 */
public record ChangeToken(long xid, UUID entry) {
  private static final String PREFIX = "c1.";
  private static final UUID MIN = new UUID(0, 0);
  private static final UUID MAX = new UUID(-1L, -1L);
  public static final ChangeToken START = new ChangeToken(0, MIN);

  /** Everything of the transactions below {@code horizon} (a snapshot's xmin). */
  public static ChangeToken below(long horizon) {
    return new ChangeToken(horizon - 1, MAX);
  }

  public static ChangeToken parse(String token, String what) {
    if (token == null || token.isEmpty()) {
      return START;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
      if (text.startsWith(PREFIX)) {
        String[] parts = text.substring(PREFIX.length()).split("\\.", 2);
        long xid = Long.parseLong(parts[0]);
        if (xid >= 0 && parts.length == 2) {
          return new ChangeToken(xid, UUID.fromString(parts[1]));
        }
      }
    } catch (IllegalArgumentException ignored) {
      // falls through to the problem below (NumberFormatException is one)
    }
    throw Problem.badRequest(what + " is not a change-feed token: use the next of a page or the id of an event");
  }

  @Override
  public String toString() {
    return Base64.getUrlEncoder().withoutPadding()
      .encodeToString((PREFIX + xid + "." + entry).getBytes(StandardCharsets.US_ASCII));
  }
}
