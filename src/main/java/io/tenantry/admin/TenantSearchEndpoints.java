package io.tenantry.admin;

import io.tenantry.http.Paging;
import io.tenantry.http.Problem;
import io.tenantry.http.Responses;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import io.tenantry.tenant.TenantFilter;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantSearch;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A super-admin's view of the fleet (docs/tenants.md#search-and-overview): GET /admin/v1/tenants narrowed by
 * filters, a page at a time, and GET /admin/v1/tenant-overview, the counts by state, tier and plan for the same
 * filters. A tenant_admin's view of its own subtree is /admin/v1/tenants/{slug}/descendants.
 */
public final class TenantSearchEndpoints {
  /** The cursor scope of the unfiltered listing since before the filters: old cursors keep working. */
  private static final String CURSOR_SCOPE = "tenants";
  private static final Pattern PLAN = io.tenantry.ratelimit.Plan.NAME;
  private static final int MAX_PREFIX = 200;

  private final TenantSearch search;
  private final TenantRegistry registry;

  public TenantSearchEndpoints(TenantSearch search, TenantRegistry registry) {
    this.search = search;
    this.registry = registry;
  }

  public void list(RoutingContext ctx) {
    int limit = Paging.limit(ctx);
    UUID after = Paging.after(ctx, CURSOR_SCOPE);
    filter(ctx)
      .compose(filter -> search.page(filter, after, limit + 1))
      .onSuccess(found -> Responses.json(ctx, 200,
        Paging.page(found, limit, CURSOR_SCOPE, f -> f.tenant().id(), TenantSearch.Found::toJson)))
      .onFailure(ctx::fail);
  }

  public void overview(RoutingContext ctx) {
    filter(ctx)
      .compose(search::counts)
      .onSuccess(counts -> Responses.json(ctx, 200, counts.toJson()))
      .onFailure(ctx::fail);
  }

  /** The filters of the query string; a bad value is a 400 naming the parameter and what it accepts. */
  private Future<TenantFilter> filter(RoutingContext ctx) {
    TenantFilter parsed;
    try {
      parsed = new TenantFilter(state(param(ctx, "state")), tier(param(ctx, "tier")), plan(param(ctx, "plan")), null,
        time(ctx, "created_after"), time(ctx, "created_before"), prefix(param(ctx, "q")));
    } catch (Problem problem) {
      return Future.failedFuture(problem);
    }
    String parent = param(ctx, "parent");
    if (parent == null) {
      return Future.succeededFuture(parsed);
    }
    Future<java.util.Optional<Tenant>> found = Tenant.SLUG.matcher(parent).matches()
      ? registry.bySlug(parent) : Future.succeededFuture(java.util.Optional.empty());
    return found.compose(tenant -> tenant
      .map(t -> Future.succeededFuture(new TenantFilter(parsed.state(), parsed.tier(), parsed.plan(), t.id(),
        parsed.createdAfter(), parsed.createdBefore(), parsed.prefix())))
      .orElseGet(() -> Future.failedFuture(Problem.badRequest("parent must be the slug of an existing tenant"))));
  }

  private static String param(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null || value.isEmpty() ? null : value;
  }

  private static Tenant.Status state(String value) {
    if (value == null) {
      return null;
    }
    for (Tenant.Status state : Tenant.Status.values()) {
      if (state.sql().equals(value)) {
        return state;
      }
    }
    throw Problem.badRequest("state must be one of " + Arrays.stream(Tenant.Status.values())
      .map(Tenant.Status::sql).collect(Collectors.joining(", ")));
  }

  private static Isolation tier(String value) {
    if (value == null) {
      return null;
    }
    Isolation tier = Isolation.parse(value);
    if (tier == null) {
      throw Problem.badRequest("tier must be one of shared, schema, database");
    }
    return tier;
  }

  private static String plan(String value) {
    if (value != null && !PLAN.matcher(value).matches()) {
      throw Problem.badRequest("plan must be a plan name matching " + PLAN.pattern());
    }
    return value;
  }

  private static OffsetDateTime time(RoutingContext ctx, String name) {
    String value = param(ctx, name);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw Problem.badRequest(name + " must be an RFC 3339 date-time with an offset, e.g. 2026-01-31T00:00:00Z");
    }
  }

  private static String prefix(String value) {
    if (value != null && value.length() > MAX_PREFIX) {
      throw Problem.badRequest("q must be at most " + MAX_PREFIX + " characters (a prefix of the slug or name)");
    }
    return value;
  }
}
