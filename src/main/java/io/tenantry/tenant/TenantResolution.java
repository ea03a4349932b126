package io.tenantry.tenant;

import io.tenantry.auth.Caller;
import io.tenantry.http.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Resolves the tenant of a data-plane request and attaches it to the context. Every source present must name
 * the same tenant (else 403); an unknown tenant is 404, a suspended one 403, none at all 400. Requires an
 * authenticated caller first, so anonymous clients cannot probe which tenants exist.
 */
public final class TenantResolution {
  public static final String TENANT_HEADER = "X-Tenant-ID";
  private static final String PATH_SLUG = "pathTenantSlug";

  private final TenantSources sources;
  private final TenantRegistry registry;

  public TenantResolution(TenantSources sources, TenantRegistry registry) {
    this.sources = sources;
    this.registry = registry;
  }

  /**
   * Turns /t/{slug}/api/... into /api/... and remembers the slug: reroutes the request and returns true (routing
   * starts again, without the response headers set so far), or returns false when the path has no such prefix.
   */
  public static boolean reroutedPathPrefix(RoutingContext ctx) {
    String path = ctx.request().path();
    if (path.startsWith("/t/") && ctx.get(PATH_SLUG) == null) {
      int slash = path.indexOf('/', 3);
      if (slash > 3 && path.startsWith("/api/", slash)) {
        ctx.put(PATH_SLUG, path.substring(3, slash));
        String query = ctx.request().query();
        ctx.reroute(path.substring(slash) + (query == null ? "" : "?" + query));
        return true;
      }
    }
    return false;
  }

  /** Resolves the tenant and hands the request to {@code then}; any failure ends it with a problem instead. */
  public void resolve(RoutingContext ctx, Handler<RoutingContext> then) {
    Caller caller = Caller.of(ctx);
    if (caller == null) {
      ctx.fail(Problem.unauthorized("authentication is required"));
      return;
    }
    List<TenantRef> refs;
    try {
      refs = sources.collect(caller.tenantId(), ctx.request().getHeader(TENANT_HEADER),
        ctx.request().getHeader(HttpHeaders.HOST), ctx.get(PATH_SLUG));
    } catch (Problem p) {
      ctx.fail(p);
      return;
    }
    if (refs.isEmpty()) {
      ctx.fail(Problem.badRequest("no tenant named: use a token for a tenant, the " + TENANT_HEADER
        + " header, a <tenant>.<base domain> host or a /t/<tenant>/ path"));
      return;
    }
    List<Future<Optional<Tenant>>> lookups = new ArrayList<>(refs.size());
    for (TenantRef ref : refs) {
      lookups.add(lookup(ref));
    }
    // One reference (the usual token-only request): no composite future; a cache hit resolves synchronously.
    Future<?> all = lookups.size() == 1 ? lookups.get(0) : Future.all(lookups);
    if (all.isComplete()) {
      settle(ctx, all, lookups, then);
    } else {
      all.onComplete(done -> settle(ctx, all, lookups, then));
    }
  }

  private static void settle(RoutingContext ctx, Future<?> all, List<Future<Optional<Tenant>>> lookups,
                             Handler<RoutingContext> then) {
    if (all.failed()) {
      ctx.fail(all.cause());
      return;
    }
    Tenant tenant;
    try {
      tenant = agree(lookups);
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    tenant.attachTo(ctx);
    then.handle(ctx);
  }

  private Future<Optional<Tenant>> lookup(TenantRef ref) {
    if (ref.byId()) {
      return registry.byId(ref.id());
    }
    // A string that cannot be a slug never reaches the database.
    return Tenant.SLUG.matcher(ref.slug()).matches() ? registry.bySlug(ref.slug()) : Future.succeededFuture(Optional.empty());
  }

  private static Tenant agree(List<Future<Optional<Tenant>>> lookups) {
    Tenant first = null;
    for (Future<Optional<Tenant>> lookup : lookups) {
      Tenant tenant = lookup.result().orElseThrow(() -> Problem.notFound("unknown tenant"));
      if (first == null) {
        first = tenant;
      }
      UUID id = tenant.id();
      if (!id.equals(first.id())) {
        throw Problem.forbidden("the request names more than one tenant");
      }
    }
    if (first.status() == Tenant.Status.SUSPENDED) {
      throw Problem.forbidden("the tenant is suspended");
    }
    if (!first.active()) {
      throw Problem.unavailable("the tenant is still being provisioned", 2);
    }
    return first;
  }
}
