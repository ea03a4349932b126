package io.tenantry.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the rate limiter did since start, for metrics: requests allowed and refused, requests decided locally
 * because Redis was unavailable, and commands sent to Redis (leases, give-backs, script loads) and how many of
 * those calls failed. Cheap to bump from any thread.
 */
public final class RateLimitCounters {
  private final LongAdder allowed = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder localFallback = new LongAdder();
  private final LongAdder redisCalls = new LongAdder();
  private final LongAdder redisFailures = new LongAdder();

  void decided(Decision decision) {
    (decision.allowed() ? allowed : refused).increment();
  }

  void localFallback() {
    localFallback.increment();
  }

  void redisCall() {
    redisCalls.increment();
  }

  void redisFailure() {
    redisFailures.increment();
  }

  public long allowed() {
    return allowed.sum();
  }

  public long refused() {
    return refused.sum();
  }

  public long localFallbacks() {
    return localFallback.sum();
  }

  public long redisCalls() {
    return redisCalls.sum();
  }

  public long redisFailures() {
    return redisFailures.sum();
  }

  public Map<String, Long> snapshot() {
    Map<String, Long> all = new LinkedHashMap<>();
    all.put("allowed", allowed());
    all.put("refused", refused());
    all.put("local_fallback", localFallbacks());
    all.put("redis_calls", redisCalls());
    all.put("redis_failures", redisFailures());
    return all;
  }
}
