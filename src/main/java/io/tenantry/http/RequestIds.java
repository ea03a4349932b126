package io.tenantry.http;

import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Gives every request an id (the client's X-Request-Id when it is safe to echo, else a new one). */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private RequestIds() {
  }

  public static void handle(RoutingContext ctx) {
    of(ctx);
    ctx.next();
  }

  /** The request's id, assigned on first use (a request refused before routing still gets one). */
  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    if (id == null) {
      String given = ctx.request().getHeader(HEADER);
      id = given != null && SAFE.matcher(given).matches() ? given : fresh();
      ctx.put(KEY, id);
      ctx.response().putHeader(HEADER, id);
    }
    return id;
  }

  /**
   * A random (version 4) UUID from the thread's own generator: a request id must be unique, not unguessable, and
   * {@link UUID#randomUUID()} draws on the shared {@code SecureRandom} for every request.
   */
  static String fresh() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
