package io.tenantry.ratelimit;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/** The budgets in Redis: one EVALSHA of lease.lua per lease, whatever the number of buckets. */
public final class RedisBudgetStore implements BudgetStore {
  private final RedisLink redis;
  private final RedisScript lease;
  private final RedisScript giveBack;
  private final RateLimitCounters counters;

  public RedisBudgetStore(RedisLink redis, RedisScript lease, RedisScript giveBack, RateLimitCounters counters) {
    this.redis = redis;
    this.lease = lease;
    this.giveBack = giveBack;
    this.counters = counters;
  }

  /**
   * Opens a connection and loads both scripts, so that the first requests do not pay for a connection and a
   * NOSCRIPT round trip — which on a busy machine could exceed the breaker's timeout and open it for nothing.
   */
  public Future<Void> preload() {
    return Future.all(lease.preload(redis.api(), counters::redisCall), giveBack.preload(redis.api(), counters::redisCall))
      .mapEmpty();
  }

  @Override
  public Future<List<Grant>> lease(List<Ask> asks) {
    List<String> keys = new ArrayList<>(asks.size());
    List<String> args = new ArrayList<>(asks.size() * 4);
    for (Ask ask : asks) {
      keys.add(ask.bucket().key());
      args.add(Long.toString(ask.bucket().interval()));
      args.add(Long.toString(ask.bucket().capacity()));
      args.add(Integer.toString(ask.want()));
      args.add(Integer.toString(ask.need()));
    }
    return lease.run(redis.api(), keys, args, counters::redisCall).map(RedisBudgetStore::grants);
  }

  @Override
  public Future<Void> giveBack(Bucket bucket, int count) {
    return giveBack.run(redis.api(), List.of(bucket.key()),
      List.of(Long.toString(bucket.interval()), Integer.toString(count)), counters::redisCall).mapEmpty();
  }

  private static List<Grant> grants(Response response) {
    List<Grant> grants = new ArrayList<>(response.size() / 3);
    for (int i = 0; i + 2 < response.size(); i += 3) {
      grants.add(new Grant(response.get(i).toInteger(), response.get(i + 1).toLong(), response.get(i + 2).toLong()));
    }
    return grants;
  }
}
