package io.tenantry.ratelimit;

import io.tenantry.admin.Delegation;
import io.tenantry.cluster.LiveNodes;
import io.tenantry.config.Config;
import io.tenantry.tenant.TenantRegistry;
import io.tenantry.tenant.TenantStore;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rate-limiting capability, wired once per node: limits cache, Redis link and scripts, circuit breaker,
 * limiter, the data-plane handler and the admin endpoints, and the timers that refresh limits and give back
 * expired leases. {@link #close()} undoes it.
 */
public final class RateLimiting {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiting.class);
  private static final long PRELOAD_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final RedisLink redis;
  private final CircuitBreaker breaker;
  private final LimitsCache cache;
  private final RateLimiter limiter;
  private final RateLimitCounters counters;
  private final TenantLimitsEndpoints tenantLimits;
  private final PlanEndpoints plans;
  private final SubtreeLimitsEndpoints subtreeLimits;
  private final long sweepTimer;

  private RateLimiting(Vertx vertx, RedisLink redis, CircuitBreaker breaker, LimitsCache cache, LimitsStore store,
                       TenantStore tenants, TenantRegistry registry, RateLimiter limiter, RateLimitCounters counters,
                       long sweepTimer) {
    this.vertx = vertx;
    this.redis = redis;
    this.breaker = breaker;
    this.cache = cache;
    this.limiter = limiter;
    this.counters = counters;
    this.tenantLimits = new TenantLimitsEndpoints(tenants, store, cache);
    this.plans = new PlanEndpoints(store, cache);
    this.subtreeLimits = new SubtreeLimitsEndpoints(new Delegation(registry), new SubtreeStore(store.pool()), cache);
    this.sweepTimer = sweepTimer;
  }

  /** @param nodes how many nodes share the limits: the cluster's live members, or ratelimit.nodes when unclustered */
  public static Future<RateLimiting> start(Vertx vertx, Config config, Pool pool, TenantStore tenants,
                                           TenantRegistry registry, LiveNodes nodes) {
    Config.RateLimitSettings settings = config.rateLimit();
    RateLimitCounters counters = new RateLimitCounters();
    RedisLink redis = new RedisLink(vertx, new RedisOptions()
      .setConnectionString(config.redisUrl())
      .setMaxPoolSize(8)
      .setMaxPoolWaiting(1024));
    CircuitBreaker breaker = breaker(vertx, settings, redis);
    LimitsStore store = new LimitsStore(pool);
    LimitsCache cache = new LimitsCache(store);
    Future<RedisScript> lease = RedisScript.load(vertx, "ratelimit/lease.lua");
    Future<RedisScript> giveBack = RedisScript.load(vertx, "ratelimit/give-back.lua");
    return Future.all(lease, giveBack, cache.start(vertx, settings.refreshMs()))
      .compose(loaded -> {
        RedisBudgetStore budgets = new RedisBudgetStore(redis, lease.result(), giveBack.result(), counters);
        RateLimiter limiter = new RateLimiter(config.redisKeyPrefix(), budgets, breaker, nodes, settings.leaseMax(),
          System::nanoTime, counters);
        return preload(budgets).map(v -> new RateLimiting(vertx, redis, breaker, cache, store, tenants, registry, limiter, counters,
          sweepEvery(vertx, settings, limiter)));
      })
      .onFailure(e -> {
        cache.stop(vertx);
        redis.close();
      });
  }

  /** Gives back leases older than the lease TTL, checking twice per TTL. */
  private static long sweepEvery(Vertx vertx, Config.RateLimitSettings settings, RateLimiter limiter) {
    long ttl = TimeUnit.MILLISECONDS.toNanos(settings.leaseTtlMs());
    return vertx.setPeriodic(Math.max(10, settings.leaseTtlMs() / 2), id -> limiter.sweep(ttl));
  }

  /** A node starts whether or not Redis is up: without it, limits are enforced locally until it answers. */
  private static Future<Void> preload(RedisBudgetStore budgets) {
    return budgets.preload()
      .timeout(PRELOAD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .recover(e -> {
        LOG.warn("rate limiter: Redis did not answer at start ({}); limits are enforced locally until it does", e.toString());
        return Future.succeededFuture();
      });
  }

  /** One breaker for Redis. It reconnects every time it opens, so its half-open probe runs on fresh connections. */
  private static CircuitBreaker breaker(Vertx vertx, Config.RateLimitSettings settings, RedisLink redis) {
    CircuitBreaker breaker = CircuitBreaker.create("ratelimit-redis", vertx, new CircuitBreakerOptions()
      .setTimeout(settings.redisTimeoutMs())
      .setMaxFailures(settings.breakerMaxFailures())
      .setResetTimeout(settings.breakerResetMs())
      .setFallbackOnFailure(true) // a failed or timed-out call, not only an open circuit, is decided locally
      .setNotificationAddress(null)); // no periodic event-bus traffic (which would cross a cluster)
    AtomicBoolean degraded = new AtomicBoolean();
    breaker.openHandler(v -> {
      // Opens again after every failed half-open probe: say it once per outage.
      if (degraded.compareAndSet(false, true)) {
        LOG.warn("rate limiter: Redis unavailable, enforcing limits locally (limit / live nodes)");
      }
      redis.reconnect();
    });
    breaker.closeHandler(v -> {
      degraded.set(false);
      LOG.info("rate limiter: Redis is back, global limits resume");
    });
    return breaker;
  }

  /** Each tenant's limits in force, for the data plane's rate-limit step. */
  public LimitsCache limits() {
    return cache;
  }

  public TenantLimitsEndpoints tenantLimits() {
    return tenantLimits;
  }

  public PlanEndpoints plans() {
    return plans;
  }

  public SubtreeLimitsEndpoints subtreeLimits() {
    return subtreeLimits;
  }

  /** For the metrics endpoint. */
  public RateLimitCounters counters() {
    return counters;
  }

  public RateLimiter limiter() {
    return limiter;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  public Future<Void> close() {
    vertx.cancelTimer(sweepTimer);
    cache.stop(vertx);
    breaker.close();
    return redis.close();
  }
}
