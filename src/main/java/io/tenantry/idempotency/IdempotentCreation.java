package io.tenantry.idempotency;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Idempotency-Key on POST /admin/v1/tenants and on record creates, placed before the route's handlers. The first request with a key
 * takes it (one row per caller and key) and runs; its 2xx answer is stored before it is sent. A repeat with the
 * same body gets that answer again; with another body, 422; while the first is still running, 409. A first request
 * that fails releases the key, so the client may retry it.
 */
public final class IdempotentCreation {
  public static final String HEADER = "Idempotency-Key";
  public static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~+/=-]{1,255}");
  private static final Logger LOG = LoggerFactory.getLogger(IdempotentCreation.class);
  /** Tries of releasing a failed request's key, a second apart: the abandoned-row bound (60 s) covers the rest. */
  private static final int RELEASE_ATTEMPTS = 30;

  private final IdempotencyStore store;
  /** What else besides the body makes two requests the same one (the tenant and path of a record create). */
  private final Function<RoutingContext, String> scope;

  IdempotentCreation(IdempotencyStore store) {
    this(store, ctx -> "");
  }

  private IdempotentCreation(IdempotencyStore store, Function<RoutingContext, String> scope) {
    this.store = store;
    this.scope = scope;
  }

  /**
   * The same guard for another route, its requests told apart by {@code scope} as well as by body: a key reused for
   * the same body in another tenant or collection is a different request (422), not a replay.
   */
  public IdempotentCreation scopedBy(Function<RoutingContext, String> scope) {
    return new IdempotentCreation(store, scope);
  }

  public void guard(RoutingContext ctx) {
    String key = ctx.request().getHeader(HEADER);
    Caller caller = Caller.of(ctx);
    if (key == null || caller == null) {
      ctx.next();
      return;
    }
    if (!KEY.matcher(key).matches()) {
      ctx.fail(Problem.badRequest("an Idempotency-Key is 1-255 letters, digits or . _ ~ + / = -"));
      return;
    }
    UUID who = caller.principal();
    String within = scope.apply(ctx);
    String hash = within.isEmpty() ? sha256(ctx.body().buffer())
      : sha256(Buffer.buffer(within).appendByte((byte) 0).appendBuffer(bodyOrEmpty(ctx.body().buffer())));
    store.take(who, key, hash)
      .compose(taken -> taken ? Future.succeededFuture(true) : replay(ctx, who, key, hash).map(false))
      .onSuccess(first -> {
        if (first) {
          keepAnswer(ctx, who, key);
          ctx.next();
        }
      })
      .onFailure(ctx::fail);
  }

  private Future<Void> replay(RoutingContext ctx, UUID who, String key, String hash) {
    return store.find(who, key).compose(found -> {
      if (found.isEmpty() || found.get().status() == null) {
        return Future.failedFuture(Problem.of(409, "idempotency-key-in-progress", "Request in progress",
          "a request with this Idempotency-Key is still running; retry it in a moment to get its result"));
      }
      IdempotencyStore.Earlier earlier = found.get();
      if (!earlier.requestHash().equals(hash)) {
        return Future.failedFuture(Problem.of(422, "idempotency-key-reused", "Idempotency key reused",
          "this Idempotency-Key was used with another request body; use a new key for a new request"));
      }
      if (earlier.location() != null) {
        ctx.response().putHeader("Location", earlier.location());
      }
      return ctx.response().setStatusCode(earlier.status()).putHeader("Content-Type", Responses.JSON)
        .putHeader("Idempotent-Replayed", "true").end(earlier.body());
    });
  }

  private void keepAnswer(RoutingContext ctx, UUID who, String key) {
    boolean[] kept = {false};
    BiFunction<Integer, Buffer, Future<Void>> keeper = (status, body) -> {
      if (status / 100 != 2) {
        return Future.succeededFuture();
      }
      kept[0] = true;
      return store.complete(who, key, status, ctx.response().headers().get("Location"),
          body.toString(StandardCharsets.UTF_8))
        .recover(e -> {
          // the answer still goes out; the key is released so that a retry is not told "in progress" forever
          LOG.warn("idempotent answer not kept: {}", e.getMessage());
          kept[0] = false;
          return Future.succeededFuture();
        });
    };
    ctx.put(Responses.KEEPER, keeper);
    ctx.addEndHandler(ended -> {
      if (!kept[0]) {
        release(ctx.vertx(), who, key, 1);
      }
    });
  }

  /**
   * Releases the key of a request that did not succeed. Its failure is often the database being unreachable, and
   * then so is this: tried again each second for a while, so the client's retry after the outage is not told
   * "in progress" until the row is abandoned.
   */
  private void release(io.vertx.core.Vertx vertx, UUID who, String key, int attempt) {
    store.forget(who, key).onFailure(e -> {
      if (attempt >= RELEASE_ATTEMPTS) {
        LOG.warn("idempotency key not released: {}", e.getMessage());
        return;
      }
      vertx.setTimer(1000, id -> release(vertx, who, key, attempt + 1));
    });
  }

  private static Buffer bodyOrEmpty(Buffer body) {
    return body == null ? Buffer.buffer() : body;
  }

  private static String sha256(Buffer body) {
    try {
      byte[] bytes = body == null ? new byte[0] : body.getBytes();
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
