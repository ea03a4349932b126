package io.tenantry.pipeline;

import io.tenantry.auth.Authenticator;
import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.tenantry.metering.Metering;
import io.tenantry.metering.UsageMeter;
import io.tenantry.ratelimit.Decision;
import io.tenantry.ratelimit.LimitsCache;
import io.tenantry.ratelimit.RateLimiter;
import io.tenantry.ratelimit.TenantLimits;
import io.tenantry.relocation.WriteGates;
import io.vertx.core.Future;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantRef;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

import java.util.List;

/**
 * Who may go further, decided on the request's headers before its body is read. For every request:
 * <ol>
 *   <li>authenticate — verify the bearer token; a request without one is refused unless its path is public;</li>
 * </ol>
 * and for the data plane (/api/) then:
 * <ol start="2">
 *   <li>name — the tenants the request names besides its token (header, host, path prefix), unambiguously;</li>
 *   <li>resolve and authorize — the one tenant the caller may act in ({@link TenantAccess}); a refused caller
 *       costs that tenant nothing and learns nothing of it;</li>
 *   <li>rate limit — charge the tenant (and the user) and set the RateLimit-* headers, or 429;</li>
 *   <li>meter — note the admitted request for its tenant's usage, counted when its response was sent
 *       ({@link Observed}).</li>
 * </ol>
 * One router step for all of it. Paths are the router's normalized paths, so what the gate checks is what the
 * router routes. Asynchronous steps pause the request (its body waits unread) and continue on the request's own
 * event loop ({@link OnLoop}).
 */
public final class Gate implements SecurityPolicyHandler {
  private static final String DATA_PLANE = "/api/";

  private final Authenticator authenticator;
  private final TenantNaming naming;
  private final TenantAccess access;
  private final LimitsCache limits;
  private final RateLimiter limiter;
  private final Metering metering;
  private final UsageMeter meter;
  private final WriteGates writeGates;

  Gate(Authenticator authenticator, TenantNaming naming, TenantAccess access, LimitsCache limits, RateLimiter limiter,
       Metering metering, WriteGates writeGates) {
    this.metering = metering;
    this.meter = metering.meter();
    this.writeGates = writeGates;
    this.authenticator = authenticator;
    this.naming = naming;
    this.access = access;
    this.limits = limits;
    this.limiter = limiter;
  }

  @Override
  public void handle(RoutingContext ctx) {
    assert SameLoop.mark(ctx);
    String path = ctx.normalizedPath();
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization == null) {
      if (PublicPaths.isPublic(path)) {
        ctx.next();
      } else {
        ctx.fail(Problem.unauthorized("authentication is required: send Authorization: Bearer <token> "
          + "(POST /auth/token issues one) or Authorization: ApiKey <key>"));
      }
      return;
    }
    boolean dataPlane = path.startsWith(DATA_PLANE);
    OnLoop.whenDone(authenticator.authenticate(authorization), ctx, verified -> {
      if (verified.failed()) {
        fail(ctx, verified.cause());
        return;
      }
      verified.result().attachTo(ctx);
      if (dataPlane) {
        resolve(ctx, verified.result());
      } else {
        metering.controlPlane().observe(ctx);
        proceed(ctx);
      }
    });
  }

  private void resolve(RoutingContext ctx, Caller caller) {
    List<TenantRef> named;
    try {
      named = naming.refs(ctx.request(), PathPrefix.slug(ctx));
    } catch (Problem p) {
      fail(ctx, p);
      return;
    }
    OnLoop.whenDone(access.resolve(caller, named, isWrite(ctx.request())), ctx, resolved -> {
      if (resolved.failed()) {
        fail(ctx, resolved.cause());
        return;
      }
      if (writeGates.watching() && isWrite(ctx.request()) && waitsForMove(ctx, caller, resolved.result())) {
        return;
      }
      resolved.result().attachTo(ctx);
      rateLimit(ctx, caller, resolved.result());
    });
  }

  /**
   * A write to a tenant being moved (io.tenantry.relocation): counted while it runs, or, during the cut-over's
   * write pause, held until the gate opens and then resolved afresh (the tenant may live elsewhere by then).
   */
  private boolean waitsForMove(RoutingContext ctx, Caller caller, Tenant tenant) {
    WriteGates.TenantGate gate = writeGates.gate(tenant.id());
    if (gate == null) {
      return false;
    }
    Future<Void> wait = gate.enter();
    if (wait == null) {
      ctx.addEndHandler(ended -> gate.leave());
      return false;
    }
    OnLoop.whenDone(wait, ctx, opened -> resolve(ctx, caller));
    return true;
  }

  private void rateLimit(RoutingContext ctx, Caller caller, Tenant tenant) {
    boolean write = isWrite(ctx.request());
    OnLoop.whenDone(limits.get(tenant.id()), ctx, found -> {
      if (found.failed()) {
        fail(ctx, found.cause());
        return;
      }
      TenantLimits tenantLimits = found.result();
      OnLoop.whenDone(limiter.decide(tenant.id(), caller.principal(), write, tenantLimits.effective()), ctx,
        decided -> charged(ctx, caller, tenant, decided));
    });
  }

  private void charged(RoutingContext ctx, Caller caller, Tenant tenant, AsyncResult<Decision> decided) {
    if (decided.failed()) {
      fail(ctx, DependencyProblems.redis(decided.cause())); // escaped the limiter's local fallback
      return;
    }
    Decision decision = decided.result();
    RateLimitAnswer.headers(ctx.response(), decision);
    if (decision.allowed()) {
      Observed.admitted(ctx, meter.admit(tenant.id(), caller.userId(), ctx.request().method(), ctx.normalizedPath()));
      proceed(ctx);
    } else {
      fail(ctx, RateLimitAnswer.tooManyRequests(decision));
    }
  }

  private static boolean isWrite(HttpServerRequest request) {
    HttpMethod method = request.method();
    return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
  }

  /** On to the body handler, which resumes a request a step paused once it has set its own handlers. */
  private static void proceed(RoutingContext ctx) {
    assert SameLoop.holds(ctx);
    ctx.next();
  }

  /** A refused request's body is never read: resumed only so the connection can drain it and be reused. */
  private static void fail(RoutingContext ctx, Throwable cause) {
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.resume();
    }
    ctx.fail(cause);
  }
}
