package io.tenantry.http;

import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Cursor pagination: {@code limit} (1..500, default 50) and an opaque {@code cursor}, which is the last id of
 * the previous page bound to a scope (what is being listed), so a cursor from one list is refused by another.
 */
public final class Paging {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  private Paging() {
  }

  public static int limit(RoutingContext ctx) {
    String value = ctx.request().getParam("limit");
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException ignored) {
      // falls through to the problem below
    }
    throw Problem.badRequest("limit must be a whole number from 1 to " + MAX_LIMIT);
  }

  /** @return the id after which the page starts, or null for the first page */
  public static UUID after(RoutingContext ctx, String scope) {
    String cursor = ctx.request().getParam("cursor");
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      String prefix = scope + "|";
      if (text.startsWith(prefix)) {
        return UUID.fromString(text.substring(prefix.length()));
      }
    } catch (IllegalArgumentException ignored) {
      // falls through to the problem below
    }
    throw Problem.badRequest("the cursor is not valid for this list");
  }

  public static String cursor(String scope, UUID last) {
    return Base64.getUrlEncoder().withoutPadding()
      .encodeToString((scope + "|" + last).getBytes(StandardCharsets.UTF_8));
  }
}
