package io.tenantry.ratelimit;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What the limiter costs per request, against a real Redis (TENANTRY_BENCH_REDIS_URL, default the local one):
 * <ul>
 *   <li>{@code allowed}: an admitted request, with leases of {@code leaseMax} (20 = the default; 1 = a Redis
 *   round trip for every request, i.e. no leasing);</li>
 *   <li>{@code refused}: a request of a tenant that has exhausted its budget;</li>
 *   <li>{@code localFallback}: a request decided locally while the breaker is open.</li>
 * </ul>
 * Redis commands per request are printed at the end of each trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RateLimiterBenchmark {
  @Param({"20", "1"})
  public int leaseMax;

  private Vertx vertx;
  private RedisLink redis;
  private RateLimitCounters counters;
  private RateLimiter limiter;
  private RateLimiter fallback;
  private final UUID tenant = UUID.randomUUID();
  private final UUID exhausted = UUID.randomUUID();
  private final UUID user = UUID.randomUUID();
  private final Limits generous = new Limits(Limits.MAX, Limits.MAX, null, null, 1);
  private final Limits tight = new Limits(1, 1, null, null, 1);
  private long decisions;
  private long callsBefore;

  @Setup(Level.Trial)
  public void setUp() {
    vertx = Vertx.vertx();
    String url = System.getenv().getOrDefault("TENANTRY_BENCH_REDIS_URL", "redis://127.0.0.1:6379");
    redis = new RedisLink(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(8));
    counters = new RateLimitCounters();
    RedisBudgetStore store = new RedisBudgetStore(redis,
      await(RedisScript.load(vertx, "ratelimit/lease.lua")),
      await(RedisScript.load(vertx, "ratelimit/give-back.lua")), counters);
    await(store.preload());
    String prefix = "tenantry-bench:" + UUID.randomUUID() + ":";
    limiter = new RateLimiter(prefix, store, breaker("bench"), () -> 1, leaseMax, System::nanoTime, counters);
    CircuitBreaker open = breaker("bench-open");
    open.open();
    fallback = new RateLimiter(prefix, store, open, () -> 2, leaseMax, System::nanoTime, counters);
    decisions = 0;
    callsBefore = counters.redisCalls();
  }

  private CircuitBreaker breaker(String name) {
    return CircuitBreaker.create(name, vertx, new CircuitBreakerOptions().setTimeout(1000).setFallbackOnFailure(true)
      .setResetTimeout(-1).setNotificationAddress(null));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long calls = counters.redisCalls() - callsBefore;
    System.out.printf("%nleaseMax=%d: %d limiter calls, %d Redis commands, %.4f Redis commands per call%n",
      leaseMax, decisions, calls, decisions == 0 ? 0.0 : (double) calls / decisions);
    await(redis.close());
    await(vertx.close());
  }

  @Benchmark
  public Decision allowed() {
    decisions++;
    return await(limiter.decide(tenant, user, false, generous));
  }

  @Benchmark
  public Decision refused() {
    decisions++;
    return await(limiter.decide(exhausted, user, false, tight));
  }

  @Benchmark
  public Decision localFallback() {
    decisions++;
    return await(fallback.decide(tenant, user, false, generous));
  }

  private static <T> T await(Future<T> future) {
    if (future.isComplete()) {
      return future.result(); // the common case: decided without Redis, no thread hop
    }
    try {
      return future.await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
