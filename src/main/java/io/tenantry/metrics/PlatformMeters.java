package io.tenantry.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tenantry.cluster.Membership;
import io.tenantry.pool.TenantPools;
import io.tenantry.ratelimit.RateLimitCounters;
import io.tenantry.ratelimit.RateLimiting;
import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.TenantRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The platform's own meters, read from the numbers its parts already keep (nothing is counted twice): tenant pools
 * per tier and the per-tenant cap (the same numbers as GET /admin/v1/pools), the rate limiter, the tenant cache and
 * the cluster. Gauges and function counters are read at scrape time only.
 */
public final class PlatformMeters {
  private PlatformMeters() {
  }

  /** Registers the meters; returns them, for {@link #remove} when the server stops (a restart registers anew). */
  public static java.util.List<io.micrometer.core.instrument.Meter> register(MeterRegistry registry, TenantPools pools,
      RateLimiting rateLimiting, TenantRegistry tenants, Membership membership) {
    java.util.Set<io.micrometer.core.instrument.Meter> before = new java.util.HashSet<>(registry.getMeters());
    pools(registry, pools);
    rateLimiter(registry, rateLimiting);
    FunctionCounter.builder("tenantry.tenant.cache.lookups", tenants, TenantRegistry::hits)
      .tag("result", "hit").description("Tenant lookups answered from the node's cache").register(registry);
    FunctionCounter.builder("tenantry.tenant.cache.lookups", tenants, TenantRegistry::misses)
      .tag("result", "miss").description("Tenant lookups that went to the database").register(registry);
    Gauge.builder("tenantry.tenant.cache.size", tenants, TenantRegistry::size).register(registry);
    Gauge.builder("tenantry.cluster.members", membership, m -> m.members().size())
      .description("Nodes this node sees in the cluster, itself included (1 when standalone)").register(registry);
    return registry.getMeters().stream().filter(m -> !before.contains(m)).toList();
  }

  public static void remove(MeterRegistry registry, java.util.List<io.micrometer.core.instrument.Meter> meters) {
    meters.forEach(registry::remove);
  }

  private static void pools(MeterRegistry registry, TenantPools pools) {
    for (Isolation tier : Isolation.values()) {
      String name = tier.sql();
      Gauge.builder("tenantry.pool.in.flight", pools, p -> p.stats().getJsonObject("tiers").getJsonObject(name).getLong("in_flight"))
        .tags(Tags.of("tier", name)).description("Tenant statements running, by isolation tier").register(registry);
    }
    gauge(registry, "tenantry.pool.cap.running", pools, "platform_pool", "running_under_cap",
      "Shared-pool work running under the per-tenant concurrency cap");
    gauge(registry, "tenantry.pool.cap.waiting", pools, "platform_pool", "waiting",
      "Work waiting for a place under its tenant's concurrency cap");
    counter(registry, "tenantry.pool.cap.queued", pools, "platform_pool", "queued_total",
      "Work that had to wait for a place under its tenant's cap");
    counter(registry, "tenantry.pool.cap.rejected", pools, "platform_pool", "rejected",
      "Work refused (503) after waiting tenancy.queue-timeout-ms under its tenant's cap");
    gauge(registry, "tenantry.pool.dedicated.open", pools, "dedicated_pools", "open",
      "Database-tier pools open on this node");
    gauge(registry, "tenantry.pool.dedicated.budget", pools, "dedicated_pools", "max",
      "Database-tier pools this node may open within db.connection-budget");
    counter(registry, "tenantry.pool.dedicated.opened", pools, "dedicated_pools", "opened_total",
      "Database-tier pools opened since start");
    counter(registry, "tenantry.pool.dedicated.rejected", pools, "dedicated_pools", "rejected",
      "Database-tier requests refused because the connection budget was spent");
    for (CircuitBreakerState state : java.util.List.of(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN)) {
      Gauge.builder("tenantry.pool.server.breakers", pools, p -> serversIn(p, state))
        .tags(Tags.of("state", state.name().toLowerCase(Locale.ROOT)))
        .description("PostgreSQL servers of database-tier tenants whose circuit breaker is in this state (their "
          + "tenants are answered 503 tenant-database-unavailable; GET /admin/v1/pools names them)")
        .register(registry);
    }
  }

  private static long serversIn(TenantPools pools, CircuitBreakerState state) {
    return pools.stats().getJsonArray("server_breakers").stream()
      .filter(b -> state.name().equals(((JsonObject) b).getString("state"))).count();
  }

  private static void gauge(MeterRegistry registry, String name, TenantPools pools, String group, String field,
                            String description) {
    Gauge.builder(name, pools, stat(group, field)).description(description).register(registry);
  }

  private static void counter(MeterRegistry registry, String name, TenantPools pools, String group, String field,
                              String description) {
    FunctionCounter.builder(name, pools, stat(group, field)).description(description).register(registry);
  }

  private static ToDoubleFunction<TenantPools> stat(String group, String field) {
    return p -> {
      JsonObject stats = p.stats().getJsonObject(group);
      return stats.getLong(field);
    };
  }

  private static void rateLimiter(MeterRegistry registry, RateLimiting rateLimiting) {
    RateLimitCounters counters = rateLimiting.counters();
    FunctionCounter.builder("tenantry.ratelimit.decisions", counters, RateLimitCounters::allowed)
      .tag("decision", "admitted").description("Requests the rate limiter admitted").register(registry);
    FunctionCounter.builder("tenantry.ratelimit.decisions", counters, RateLimitCounters::refused)
      .tag("decision", "refused").description("Requests the rate limiter refused (429)").register(registry);
    FunctionCounter.builder("tenantry.ratelimit.local.fallbacks", counters, RateLimitCounters::localFallbacks)
      .description("Decisions made locally because Redis was unavailable").register(registry);
    FunctionCounter.builder("tenantry.ratelimit.redis.calls", counters, RateLimitCounters::redisCalls)
      .tag("result", "sent").description("Commands sent to Redis by the rate limiter").register(registry);
    FunctionCounter.builder("tenantry.ratelimit.redis.calls", counters, RateLimitCounters::redisFailures)
      .tag("result", "failed").description("Rate limiter commands to Redis that failed").register(registry);
    for (CircuitBreakerState state : CircuitBreakerState.values()) {
      Gauge.builder("tenantry.ratelimit.breaker.state", rateLimiting, r -> r.breaker().state() == state ? 1 : 0)
        .tag("state", state.name().toLowerCase(Locale.ROOT))
        .description("The Redis circuit breaker's state (1 for the current one)").register(registry);
    }
    Gauge.builder("tenantry.ratelimit.fallback.mode", rateLimiting, r -> r.breaker().state() == CircuitBreakerState.CLOSED ? 0 : 1)
      .description("1 while the limiter decides locally (Redis breaker open or half-open), else 0").register(registry);
  }
}
