package io.tenantry.ratelimit;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.tenant.Tenant;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Data-plane handler, after tenant resolution: charges the request to its tenant (and user) and either passes it
 * on with RateLimit-Limit/-Remaining/-Reset headers or ends it with 429 and Retry-After. Keyed only by the
 * resolved tenant id and the verified caller — never by a header the client could vary to get a fresh budget.
 * A refused request does no database work: limits come from {@link LimitsCache}.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
  private static final String DONE = "rateLimited";
  // Pre-encoded names: hashed and written without per-request conversion.
  private static final CharSequence LIMIT = HttpHeaders.createOptimized("RateLimit-Limit");
  private static final CharSequence REMAINING = HttpHeaders.createOptimized("RateLimit-Remaining");
  private static final CharSequence RESET = HttpHeaders.createOptimized("RateLimit-Reset");

  private final LimitsCache limits;
  private final RateLimiter limiter;

  public RateLimitHandler(LimitsCache limits, RateLimiter limiter) {
    this.limits = limits;
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Tenant tenant = Tenant.of(ctx);
    if (tenant == null || ctx.get(DONE) != null) {
      ctx.next(); // nothing to charge, or charged already before a reroute
      return;
    }
    ctx.put(DONE, Boolean.TRUE);
    Caller caller = Caller.of(ctx);
    boolean write = !READS.contains(ctx.request().method());
    Context context = Vertx.currentContext();
    whenDone(limits.get(tenant.id()), context, found -> {
      if (found.failed()) {
        ctx.fail(found.cause());
        return;
      }
      Future<Decision> decision = limiter.decide(tenant.id(), caller == null ? null : caller.userId(), write,
        found.result().effective());
      whenDone(decision, context, decided -> apply(ctx, decided));
    });
  }

  private static void apply(RoutingContext ctx, AsyncResult<Decision> decided) {
    if (decided.failed()) {
      ctx.fail(decided.cause());
      return;
    }
    Decision decision = decided.result();
    HttpServerResponse response = ctx.response();
    response.putHeader(LIMIT, Integer.toString(decision.limit()));
    response.putHeader(REMAINING, Integer.toString(decision.remaining()));
    response.putHeader(RESET, Long.toString(decision.resetSeconds()));
    if (decision.allowed()) {
      ctx.next();
    } else {
      ctx.fail(tooManyRequests(decision));
    }
  }

  static Problem tooManyRequests(Decision decision) {
    String whose = decision.scope() == Decision.Scope.USER ? "your per-user rate limit in this tenant" : "the tenant's rate limit";
    return Problem.of(429, "too-many-requests", "Too many requests",
        whose + " is exhausted; retry in " + decision.retryAfterSeconds() + " s")
      .withHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
  }

  /**
   * Runs {@code then} at once when the future is already complete (the usual case: cached limits, a local
   * lease), otherwise when it completes — back on the request's own event loop, since a Redis answer may arrive
   * on another one and vertx-web expects a request to be routed on its own.
   */
  private static <T> void whenDone(Future<T> future, Context context, Handler<AsyncResult<T>> then) {
    if (future.isComplete()) {
      then.handle(future);
      return;
    }
    future.onComplete(result -> {
      if (Vertx.currentContext() == context) {
        then.handle(result);
      } else {
        context.runOnContext(v -> then.handle(result));
      }
    });
  }
}
