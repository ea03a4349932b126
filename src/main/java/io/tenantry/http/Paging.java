package io.tenantry.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
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

  /**
   * The response body of a list: {@code fetched} holds up to {@code limit + 1} items (the extra one only says
   * that another page exists), {@code items} the first {@code limit} of them, {@code next_cursor} the cursor
   * after the last item shown, or null on the last page.
   */
  public static <T> JsonObject page(List<T> fetched, int limit, String scope, Function<T, UUID> id,
                                    Function<T, JsonObject> json) {
    List<T> shown = fetched.subList(0, Math.min(limit, fetched.size()));
    JsonArray items = new JsonArray();
    shown.forEach(item -> items.add(json.apply(item)));
    String next = fetched.size() > limit ? cursor(scope, id.apply(shown.get(shown.size() - 1))) : null;
    return new JsonObject().put("items", items).put("next_cursor", next);
  }

  public static String cursor(String scope, UUID last) {
    return Base64.getUrlEncoder().withoutPadding()
      .encodeToString((scope + "|" + last).getBytes(StandardCharsets.UTF_8));
  }
}
