package io.tenantry.http;

import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.regex.Pattern;

/** Gives every request an id (the client's X-Request-Id when it is safe to echo, else a new one). */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {
  }

  public static void handle(RoutingContext ctx) {
    if (ctx.get(KEY) == null) {
      String given = ctx.request().getHeader(HEADER);
      String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
      ctx.put(KEY, id);
      ctx.response().putHeader(HEADER, id);
    }
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "" : id;
  }
}
